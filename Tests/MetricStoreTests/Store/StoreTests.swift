import Testing

@testable import MetricStore
import TestSupport

@Suite struct StoreTests {
    private let load = Labels(["__name__": "node_load1", "instance": "a"])
    private let up = Labels(["__name__": "up", "instance": "a"])

    private func options(blockRange: Int64 = 3_600_000) -> StoreOptions {
        var options = StoreOptions()
        options.head.blockRange = blockRange
        options.head.samplesPerChunk = 30
        return options
    }

    /// `count` samples every 10 s from t=0 for both series; the value is the index.
    private func appendSeries(_ store: Store, from: Int = 0, count: Int) {
        for index in from..<(from + count) {
            let t = Int64(index) * 10_000
            store.append([(load, Sample(timestamp: t, value: Double(index) / 4)), (up, Sample(timestamp: t, value: 1))])
        }
    }

    @Test func appendQueryReopenReplays() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        do {
            let store = try Store.open(directory: directory.path, options: options())
            appendSeries(store, count: 100)
            #expect(store.counters.appendedSamples == 200)
            let selected = try store.select([.equal("__name__", "node_load1")], minTime: 0, maxTime: 50_000)
            #expect(selected.map(\.labels) == [load])
            #expect(selected[0].samples.map(\.timestamp) == [0, 10_000, 20_000, 30_000, 40_000, 50_000])
            try store.sync()
            store.close()
        }
        let reopened = try Store.open(directory: directory.path, options: options())
        defer { reopened.close() }
        #expect(reopened.counters.replayedSamples == 200)
        let all = try reopened.select([])
        #expect(all.map(\.labels) == [load, up])
        #expect(all[0].samples.count == 100)
        #expect(all[0].samples[99] == Sample(timestamp: 990_000, value: 24.75))
    }

    @Test func blocksAreCutAndQueriedTogetherWithTheHead() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try Store.open(directory: directory.path, options: options(blockRange: 600_000))
        // 1,000 samples every 10 s = 10,000 s: more than 1.5 ranges of 600 s many times over.
        appendSeries(store, count: 1000)
        let written = try store.cutBlocksIfDue()
        #expect(!written.isEmpty)
        #expect(written.allSatisfy { $0.maxTime - $0.minTime == 600_000 })
        #expect(store.blocks.count == written.count)
        let all = try store.select([.equal("__name__", "node_load1")])
        #expect(all[0].samples.count == 1000)
        #expect(all[0].samples.map(\.timestamp) == (0..<1000).map { Int64($0) * 10_000 })
        #expect(all[0].samples.map(\.value) == (0..<1000).map { Double($0) / 4 })
        // Samples older than the newest block are refused, not written out of order.
        let late = store.append([(load, Sample(timestamp: 5_000, value: 1))])
        #expect(late.tooOld == 1)
        try store.sync()
        store.close()

        // After a restart the blocks and the WAL's remainder give back every sample once.
        let reopened = try Store.open(directory: directory.path, options: options(blockRange: 600_000))
        defer { reopened.close() }
        let again = try reopened.select([.equal("__name__", "up")])
        #expect(again[0].samples.count == 1000)
    }

    @Test func aSecondWriterIsRefusedAndReadersStillOpen() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try Store.open(directory: directory.path, options: options())
        defer { store.close() }
        appendSeries(store, count: 10)
        try store.sync()
        #expect {
            _ = try Store.open(directory: directory.path, options: options())
        } throws: { error in
            if case StoreError.locked = error { return true }
            return false
        }
        var readOnly = options()
        readOnly.readOnly = true
        let reader = try Store.open(directory: directory.path, options: readOnly)
        #expect(try reader.select([]).map(\.samples.count) == [10, 10])
    }

    @Test func aCorruptBlockIsQuarantinedAndTheRestStaysReadable() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try Store.open(directory: directory.path, options: options(blockRange: 600_000))
        appendSeries(store, count: 400)
        let written = try store.cutBlocksIfDue()
        try #require(written.count >= 2)
        try store.sync()
        store.close()

        // Flip a byte in the first block's index.
        let index = directory.path + "/" + written[0].id.description + "/index"
        var bytes = try directory.fileSystem.read(index)
        bytes[bytes.count / 2] ^= 0x5a
        let file = try directory.fileSystem.create(index)
        try file.write(bytes)
        try file.close()

        let events = EventLog()
        let reopened = try Store.open(directory: directory.path, options: options(blockRange: 600_000)) { events.add($0) }
        defer { reopened.close() }
        #expect(reopened.counters.corruptions == 1)
        #expect(reopened.blocks.count == written.count - 1)
        #expect(directory.fileSystem.exists(directory.path + "/quarantine/" + written[0].id.description))
        #expect(events.descriptions.contains { $0.contains("quarantined") && $0.contains("index") })
        let remaining = try reopened.select([.equal("__name__", "up")])[0].samples
        #expect(remaining.first!.timestamp == written[1].minTime)
        #expect(remaining.count == 400 - 60)
    }

    @Test func outOfOrderSamplesAreCountedNotWritten() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try Store.open(directory: directory.path, options: options())
        defer { store.close() }
        store.append([(load, Sample(timestamp: 2000, value: 1))])
        let summary = store.append([(load, Sample(timestamp: 1000, value: 2)), (up, Sample(timestamp: 1000, value: 1))])
        #expect(summary.outOfOrder == 1 && summary.appended == 1)
        #expect(try store.select([.equal("__name__", "node_load1")])[0].samples == [Sample(timestamp: 2000, value: 1)])
    }
}


/// Store events as text, collected from the store's callback.
final class EventLog: Sendable {
    private let events = Locked<[String]>([])

    func add(_ event: StoreEvent) { events.withLock { $0.append(event.description) } }
    var descriptions: [String] { events.withLock { $0 } }
}
