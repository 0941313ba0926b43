#if canImport(Glibc)
import Glibc
#endif
@testable import MetricStore
import TestSupport

/// Shared fixtures and helpers for the WAL tests.
enum WALFixtures {
    static let directory = "/data/wal"

    /// A power-loss file system with a durable, empty `/data`.
    static func fileSystem(crashAfter: Int? = nil) -> PowerLossFileSystem {
        let fs = PowerLossFileSystem()
        try! fs.createDirectory("/data")
        fs.syncEverything()
        // The crash point counts from here, so operation indexes belong to the workload.
        fs.startCounting(crashAfter: crashAfter)
        return fs
    }

    static func series(_ ref: UInt64, _ name: String = "up", instance: String = "host:9100") -> WALSeries {
        WALSeries(ref: SeriesRef(ref), labels: Labels(["__name__": name, "instance": instance]))
    }

    static func sample(_ ref: UInt64, _ timestamp: Int64, _ value: Double) -> WALSample {
        WALSample(ref: SeriesRef(ref), timestamp: timestamp, value: value)
    }

    /// Every record replay hands over, and the report.
    static func replay(_ fs: any FileSystem, directory: String = directory) throws -> ([WALRecord], WALReplayReport) {
        var records: [WALRecord] = []
        let report = try WALReader(directory: directory, fileSystem: fs).replay { records.append($0) }
        return (records, report)
    }

    /// Opens for writing, collecting the replayed records.
    static func open(
        _ fs: any FileSystem, segmentSize: Int = WALOptions.defaultSegmentSize, retention: WALRetention = WALRetention()
    ) throws -> (WAL, [WALRecord], WALReplayReport) {
        var records: [WALRecord] = []
        let (wal, report) = try WAL.open(
            directory: directory, fileSystem: fs, options: WALOptions(segmentSize: segmentSize, retention: retention)
        ) { records.append($0) }
        return (wal, records, report)
    }

    static func samples(in records: [WALRecord]) -> [WALSample] {
        records.flatMap { record -> [WALSample] in
            if case .samples(let samples) = record { return samples }
            return []
        }
    }

    static func series(in records: [WALRecord]) -> [WALSeries] {
        records.flatMap { record -> [WALSeries] in
            if case .series(let series) = record { return series }
            return []
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }
}
