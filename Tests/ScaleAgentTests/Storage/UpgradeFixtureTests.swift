import Foundation
import MetricStore
import Testing

@testable import ScaleAgent

/// A data directory written by the release before the daemon's plumbing changed (see
/// `Fixtures/upgrade-2026-12/README.md`) opens with this build, as an upgraded agent opens
/// it, and reads back exactly what that release exported; its log positions still load.
@Suite struct UpgradeFixtureTests {
    static let fixture = Fixtures.directory + "/upgrade-2026-12"

    @Test func theLastReleasesDataDirectoryReadsBackTheSameSamples() throws {
        let tree = ScratchTree()
        let data = tree.root + "/data"
        try FileManager.default.copyItem(atPath: Self.fixture + "/data", toPath: data)

        // Writable, as the upgraded agent opens it: WAL replay, and whatever open repairs.
        let store = try Store.open(directory: data)
        #expect(store.counters.corruptions == 0)
        #expect(store.counters.replayedSamples > 0)
        store.close()

        var exported: [UInt8] = []
        let summary = try StoreCommands.export(dataDirectory: data, selector: nil, start: .min, end: .max) {
            exported += $0
        }
        let expected = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/expected.om")))
        #expect(summary.samples > 900)
        // Sample for sample: the same series, timestamps and value bits. The text may differ in
        // spelling only (this release writes values as Prometheus does, `94` for the old `94.0`).
        #expect(try Self.samples(exported) == Self.samples(expected), "export differs from the last release's")

        let positions = try LogPositionFile(path: data + "/" + PostgresLogCollector.positionFileName).load()
        #expect(positions.keys.sorted() == ["file:/tmp/fixture-make/postgresql.log", "files"])
    }

    struct ExportedSample: Equatable {
        let labels: Labels
        let timestamp: Int64?
        let valueBits: UInt64
    }

    static func samples(_ bytes: [UInt8]) throws -> [ExportedSample] {
        var parser = OpenMetricsParser(bytes: bytes, file: "export")
        var samples: [ExportedSample] = []
        while let sample = try parser.next() {
            samples.append(ExportedSample(labels: parser.series[sample.series], timestamp: sample.timestamp, valueBits: sample.value.bitPattern))
        }
        return samples
    }
}
