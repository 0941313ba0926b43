import Testing
@testable import MetricStore
import TestSupport

/// A consumer tailing a live store's WAL (as the remote-write shipper does) sees every sample
/// exactly once across segment rotations, block cuts (checkpoint and truncation) and a
/// restart; the retention bounds decide what it loses when it falls too far behind.
@Suite struct StoreWALTailTests {
    private static let series = ["a", "b", "c"].map { Labels(["__name__": "up", "instance": $0]) }

    private func options(retention: WALRetention = WALRetention()) -> StoreOptions {
        var options = StoreOptions()
        options.head.blockRange = 60_000
        options.head.samplesPerChunk = 20
        options.wal = WALOptions(segmentSize: 1024, flushInterval: .zero, retention: retention)
        return options
    }

    /// What a consumer keeps: labels by ref, and every sample it was handed.
    private struct Consumer {
        var labels: [SeriesRef: Labels] = [:]
        var seen: [String] = []
        var unresolved = 0
        var droppedSegments = 0

        mutating func drain(_ reader: WALTailReader) throws {
            while true {
                let batch = try reader.next(limit: 5)
                droppedSegments += batch.droppedSegments
                for record in batch.records {
                    switch record {
                    case .series(let entries):
                        for entry in entries { labels[entry.ref] = entry.labels }
                    case .samples(let samples):
                        for sample in samples {
                            guard let labels = labels[sample.ref] else {
                                unresolved += 1
                                continue
                            }
                            seen.append(StoreWALTailTests.key(labels, sample.sample.timestamp))
                        }
                    case .unknown:
                        break
                    }
                }
                if batch.records.isEmpty && batch.gaps.isEmpty { return }
            }
        }
    }

    static func key(_ labels: Labels, _ timestamp: Int64) -> String { "\(labels) @\(timestamp)" }

    /// Appends one sample for every series at `index` seconds; returns the keys.
    private func append(_ store: Store, _ index: Int) -> [String] {
        let t = Int64(index) * 1000
        let summary = store.append(Self.series.map { ($0, Sample(timestamp: t, value: Double(index))) })
        #expect(summary.appended == Self.series.count)
        return Self.series.map { Self.key($0, t) }
    }

    @Test func followsALiveStoreAcrossCutsAndARestart() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        var appended: [String] = []
        var consumer = Consumer()
        var store = try Store.open(directory: directory.path, options: options())
        var reader = try store.walTailReader()
        var blocks = 0
        for index in 0..<600 {
            appended += append(store, index)
            if index % 9 == 0 {
                try consumer.drain(reader)
                try store.retainWAL(from: reader.position.segment, consumer: "test")
            }
            if index % 40 == 39 { blocks += try store.cutBlocksIfDue().count }
            if index == 300 {
                // The consumer persisted its position after its last batch; the store and the
                // consumer restart; what was logged since is read by the resumed reader.
                let saved = reader.position
                store.close()
                store = try Store.open(directory: directory.path, options: options())
                try store.retainWAL(from: saved.segment, consumer: "test")
                consumer.labels = [:]
                reader = try store.walTailReader(from: saved)
            }
        }
        try consumer.drain(reader)
        store.close()

        #expect(blocks >= 5, "the test should cut blocks (checkpoint and truncate) many times")
        #expect(reader.position.segment >= 10, "the test should rotate through many segments")
        #expect(consumer.unresolved == 0)
        #expect(consumer.droppedSegments == 0)
        #expect(consumer.seen.count == appended.count, "every sample exactly once")
        #expect(consumer.seen.sorted() == appended.sorted())
    }

    /// A consumer stops reading while the store goes on: within the bound, truncation keeps
    /// every segment it needs; past it, the oldest go, the store counts them, and the
    /// consumer sees the gap and continues after it without seeing anything twice.
    @Test(arguments: [false, true]) func retentionBoundsDecideWhatALaggingConsumerLoses(tightBound: Bool) throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let retention = tightBound ? WALRetention(maxBytes: 2048) : WALRetention()
        let store = try Store.open(directory: directory.path, options: options(retention: retention))
        defer { store.close() }
        var appended: [String] = []
        var consumer = Consumer()
        let reader = try store.walTailReader()
        for index in 0..<20 { appended += append(store, index) }
        try consumer.drain(reader)
        try store.retainWAL(from: reader.position.segment, consumer: "test")
        // The consumer falls behind: several block cuts happen without it.
        for index in 20..<400 {
            appended += append(store, index)
            if index % 40 == 39 { try store.cutBlocksIfDue() }
        }
        try consumer.drain(reader)

        let dropped = store.walRetention?.droppedSegments ?? -1
        #expect(consumer.droppedSegments == (tightBound ? reader.droppedSegments : 0))
        #expect(consumer.unresolved == 0)
        #expect(Set(consumer.seen).count == consumer.seen.count, "nothing twice")
        #expect(Set(consumer.seen).isSubset(of: Set(appended)))
        if tightBound {
            #expect(dropped > 0)
            #expect(consumer.droppedSegments > 0)
            #expect(consumer.seen.count < appended.count)
        } else {
            #expect(dropped == 0)
            #expect(consumer.seen.sorted() == appended.sorted())
        }
    }

    @Test func aReadOnlyStoreReadsTheTailButRetainsNothing() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let writer = try Store.open(directory: directory.path, options: options())
        defer { writer.close() }
        let appended = append(writer, 0) + append(writer, 1)
        var readOnlyOptions = options()
        readOnlyOptions.readOnly = true
        let reader = try Store.open(directory: directory.path, options: readOnlyOptions)
        var consumer = Consumer()
        try consumer.drain(try reader.walTailReader())
        #expect(consumer.seen == appended)
        #expect(reader.walRetention == nil)
        #expect(throws: StoreError.self) { try reader.retainWAL(from: 0, consumer: "test") }
    }
}
