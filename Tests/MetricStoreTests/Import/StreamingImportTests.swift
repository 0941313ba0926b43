import Testing

@testable import MetricStore
import TestSupport

/// The streaming import (windows, parts, chunks encoded as series fill up) must write the same
/// blocks, byte for byte, as parsing everything first and splitting it in memory.
@Suite struct StreamingImportTests {
    /// Three metrics on three hosts every 10 s for 4.5 hours, from 20 minutes into an hour:
    /// with one-hour blocks and 100-sample chunks, range cuts fall inside chunks. Each line
    /// comes once per host in a row, as `replicate.py` writes them, so series interleave.
    static func input(extra: String = "") -> String {
        let start: Int64 = 1_764_381_600_000 + 20 * 60_000
        var text = ""
        for (index, metric) in ["node_load1", #"pg_blks_hit{datname="a"}"#, #"go_gc{quantile="0.5"}"#].enumerated() {
            text += "# TYPE \(metric.prefix { $0 != "{" }) gauge\n"
            for step in 0..<1620 {
                let timestamp = start + Int64(step) * 10_000
                for host in 0..<3 {
                    let labels = metric.contains("{") ? metric.replacingOccurrences("}", #",host="h\#(host)"}"#) : metric + #"{host="h\#(host)"}"#
                    let value = index == 1 ? "\(step * 1000 + host)" : "\(Double(step % 17) * 0.25 + Double(host))"
                    text += "\(labels) \(value) \(OpenMetricsExporter.formatTimestamp(timestamp))\n"
                }
            }
        }
        return text + extra + "# EOF\n"
    }

    private func store(_ directory: TestDirectory) throws -> Store {
        var options = StoreOptions()
        options.head.blockRange = 3_600_000
        options.blockChunkSamples = 100
        return try Store.open(directory: directory.path, options: options)
    }

    /// The old way: one pass of the parser over the whole text, then `importSeries`.
    private func importAllAtOnce(_ text: String, into store: Store) throws -> ImportSummary {
        var parser = OpenMetricsParser(bytes: Array(text.utf8), file: "in.om")
        var samples: [[Sample]] = []
        while let sample = try parser.next() {
            if sample.series == samples.count { samples.append([]) }
            samples[sample.series].append(Sample(timestamp: sample.timestamp!, value: sample.value))
        }
        return try store.importSeries(Array(zip(parser.series, samples)))
    }

    /// Every block file of `lhs` equals `rhs`'s but `meta.json`, which names the block's random ID.
    private func expectSameBlocks(_ lhs: Store, _ rhs: Store) throws {
        let left = lhs.blocks.sorted { $0.meta.minTime < $1.meta.minTime }
        let right = rhs.blocks.sorted { $0.meta.minTime < $1.meta.minTime }
        #expect(left.map(\.meta.minTime) == right.map(\.meta.minTime))
        #expect(left.count > 1)
        let fileSystem = PosixFileSystem()
        for (one, other) in zip(left, right) {
            #expect(one.meta.maxTime == other.meta.maxTime && one.meta.stats == other.meta.stats)
            let onePath = lhs.directory + "/" + one.meta.id.description
            let otherPath = rhs.directory + "/" + other.meta.id.description
            let segments = try fileSystem.list(onePath + "/chunks")
            #expect(try segments == fileSystem.list(otherPath + "/chunks"))
            for name in ["index"] + segments.map({ "chunks/" + $0 }) {
                #expect(try fileSystem.read(onePath + "/" + name) == fileSystem.read(otherPath + "/" + name), "\(name)")
            }
        }
        #expect(try lhs.select([]) == rhs.select([]))
    }

    private func compare(_ text: String, windowBytes: Int) throws -> ImportSummary {
        let old = TestDirectory(), new = TestDirectory()
        defer { old.remove(); new.remove() }
        let oldStore = try store(old), newStore = try store(new)
        defer { oldStore.close(); newStore.close() }
        let expected = try importAllAtOnce(text, into: oldStore)
        let summary = try newStore.importOpenMetrics(OpenMetricsWindows(bytes: Array(text.utf8), windowBytes: windowBytes), file: "in.om")
        #expect(summary.series == expected.series && summary.samples == expected.samples)
        #expect(summary.skippedSamples == expected.skippedSamples)
        try expectSameBlocks(newStore, oldStore)
        return summary
    }

    @Test(arguments: [4096, 100_000, 1 << 30])
    func blocksAreByteIdenticalToTheAllInMemoryImport(_ windowBytes: Int) throws {
        let summary = try compare(Self.input(), windowBytes: windowBytes)
        #expect(summary.series == 9 && summary.samples == 9 * 1620 && summary.skippedSamples == 0)
        #expect(summary.blocks.count == 5)
    }

    @Test func seriesOutOfOrderInALaterWindowAreSortedAsBefore() throws {
        // Back into the first hour (one timestamp repeated), a new sample past the end, and
        // samples of a series that so far was in order.
        let late = """
            node_load1{host="h1"} 42 1764382800.000
            node_load1{host="h1"} 43 1764381000.000
            node_load1{host="h1"} 44 1764400000.000
            go_gc{quantile="0.5",host="h2"} 45 1764382810.000

            """
        let summary = try compare(Self.input(extra: late), windowBytes: 4096)
        #expect(summary.skippedSamples == 2)
        #expect(summary.samples == 9 * 1620 + 2)
    }

    @Test func aFileImportsLikeItsBytes() throws {
        let text = Self.input()
        let directory = TestDirectory(), old = TestDirectory()
        defer { directory.remove(); old.remove() }
        let path = directory.path + "/in.om"
        let file = try directory.fileSystem.create(path)
        try file.write(Array(text.utf8))
        try file.close()
        let oldStore = try store(old)
        defer { oldStore.close() }
        _ = try importAllAtOnce(text, into: oldStore)
        for windowBytes in [4096, OpenMetricsWindows.defaultWindowBytes] {
            let target = TestDirectory()
            defer { target.remove() }
            let newStore = try store(target)
            defer { newStore.close() }
            _ = try windowBytes == OpenMetricsWindows.defaultWindowBytes
                ? newStore.importOpenMetrics(file: path)
                : newStore.importOpenMetrics(OpenMetricsWindows(path: path, windowBytes: windowBytes), file: path)
            try expectSameBlocks(newStore, oldStore)
        }
    }

    @Test func aBadLineInALaterWindowWritesNothing() throws {
        let directory = TestDirectory(), input = TestDirectory()
        defer { directory.remove(); input.remove() }
        let text = Self.input(extra: "up 1 1\nup 2\n")
        let lines = text.split(separator: "\n").count
        let path = input.path + "/bad.om"
        let file = try input.fileSystem.create(path)
        try file.write(Array(text.utf8))
        try file.close()
        let store = try store(directory)
        defer { store.close() }
        #expect {
            _ = try store.importOpenMetrics(OpenMetricsWindows(path: path, windowBytes: 4096), file: path)
        } throws: { error in
            String(describing: error).hasPrefix("\(path):\(lines - 1): expected a timestamp on every sample")
        }
        #expect {
            _ = try store.importOpenMetrics(file: input.path + "/missing.om")
        } throws: { error in
            String(describing: error).hasPrefix("open \(input.path)/missing.om: No such file or directory")
        }
        #expect(store.blocks.isEmpty)
        #expect(try BlockDirectory.blockIDs(in: directory.path, fileSystem: directory.fileSystem).isEmpty)
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
