@testable import MetricStore
import TestSupport

/// The write-ahead log as replay finds it on disk: up to four segments (`FuzzFiles`), the first
/// of them inside a checkpoint when the input's length is odd. Replay must report damage, not
/// trap; opening the WAL (which truncates a torn tail) and repairing every reported damage must
/// leave a WAL that replays without damage.
struct WALFuzzTarget: FuzzTarget {
    let name = "WAL"
    private static let directory = "/data/wal"

    func run(_ bytes: [UInt8]) {
        let fileSystem = PowerLossFileSystem()
        do {
            try Self.lay(FuzzFiles.split(bytes, maxFiles: 4), withCheckpoint: bytes.count % 2 == 1, on: fileSystem)
            _ = try WALReader(directory: Self.directory, fileSystem: fileSystem).replay { _ in }
            let (wal, report) = try WAL.open(directory: Self.directory, fileSystem: fileSystem) { _ in }
            for corruption in report.corruptions {
                try wal.repair(corruption)
            }
            try wal.close()
            let (reopened, after) = try WAL.open(directory: Self.directory, fileSystem: fileSystem) { _ in }
            try reopened.close()
            let damage = after.corruptions.filter { $0.reason != .missingSegment }
            guard damage.isEmpty, after.tornTail == nil else {
                fatalError("damage left after repair: \(after.corruptions) torn tail: \(String(describing: after.tornTail))")
            }
        } catch {
            // I/O errors of the in-memory file system: none are expected, but they are not
            // what this target looks for.
        }
    }

    private static func lay(_ segments: [[UInt8]], withCheckpoint: Bool, on fileSystem: PowerLossFileSystem) throws {
        try fileSystem.createDirectory("/data")
        try fileSystem.createDirectory(directory)
        var remaining = segments[...]
        if withCheckpoint, let first = remaining.popFirst() {
            let checkpoint = directory + "/" + WALFileNames.checkpoint(0)
            try fileSystem.createDirectory(checkpoint)
            try write(first, to: checkpoint + "/" + WALFileNames.segment(0), on: fileSystem)
        }
        for (offset, segment) in remaining.enumerated() {
            try write(segment, to: directory + "/" + WALFileNames.segment(offset + 1), on: fileSystem)
        }
    }

    private static func write(_ bytes: [UInt8], to path: String, on fileSystem: PowerLossFileSystem) throws {
        let file = try fileSystem.create(path)
        try file.write(bytes)
        try file.close()
    }

    /// A WAL the writer made: series and samples records over two segments, a checkpoint
    /// in front in the second seed.
    func generatedSeeds() throws -> [[UInt8]] {
        let fileSystem = PowerLossFileSystem()
        let (wal, _) = try WAL.open(directory: Self.directory, fileSystem: fileSystem) { _ in }
        let cpu = Labels([Label("__name__", "node_cpu_seconds_total"), Label("cpu", "0"), Label("mode", "idle")])
        let load = Labels([Label("__name__", "node_load1"), Label("job", "é")])
        try wal.log(series: [WALSeries(ref: SeriesRef(1), labels: cpu), WALSeries(ref: SeriesRef(2), labels: load)])
        try wal.log(samples: (0..<20).map { WALSample(ref: SeriesRef(1), timestamp: 1_700_000_000_000 + Int64($0) * 15_000, value: Double($0) * 0.5) })
        _ = try wal.cutSegment()
        try wal.log(samples: [WALSample(ref: SeriesRef(2), timestamp: 1_700_000_000_000, value: .nan), WALSample(ref: SeriesRef(2), timestamp: 1_700_000_015_000, value: 1e300)])
        try wal.sync()
        try wal.close()
        let segments = try fileSystem.list(Self.directory).sorted().compactMap { name in
            WALFileNames.parseSegment(name).map { _ in try? fileSystem.read(Self.directory + "/" + name) } ?? nil
        }
        // Even length: no checkpoint; one byte more makes it odd and the first segment a checkpoint.
        var plain = FuzzFiles.join(segments)
        if plain.count % 2 == 1 { plain.append(0) }
        var withCheckpoint = FuzzFiles.join(segments)
        if withCheckpoint.count % 2 == 0 { withCheckpoint.append(0) }
        return [plain, withCheckpoint]
    }
}
