import Logging
import MetricStore
import Testing

@testable import ScaleAgent

/// The store's one writer: collections and rule output land in order with stale markers,
/// and the store's maintenance, on its own threads, never holds up an append.
@Suite(.timeLimit(.minutes(2))) struct StoreWriterTests {
    private static let start: Int64 = 1_800_000_000_000

    private func snapshot(at time: Int64, _ values: [String: Double]) -> MetricsSnapshot {
        let families = values.map { name, value in
            MetricFamily(name: name, help: "", type: .gauge, samples: [MetricSample(labels: Labels([Label]()), value: value)])
        }
        return MetricsSnapshot(families: families, collectedAt: .now, timestampMilliseconds: time)
    }

    private func open(
        _ tree: ScratchTree, blockRange: Int64 = 7_200_000, fileSystem: any FileSystem = PosixFileSystem(),
        schedule: MaintenanceSchedule = MaintenanceSchedule(flush: .milliseconds(20), blocks: .milliseconds(20))
    ) async throws -> StoreWriter {
        var options = StoreOptions()
        options.head.blockRange = blockRange
        return try await StoreWriter.open(
            directory: tree.root + "/data", options: options,
            retention: RetentionPolicy(time: 365 * 86_400_000, size: nil, fileSystemFraction: nil), schedule: schedule,
            fileSystem: fileSystem, logger: Logger(label: "test"))
    }

    private func samples(_ store: Store, _ name: String, from: Int64 = .min) throws -> [Sample] {
        try store.select([.equal("__name__", name)], minTime: from).flatMap(\.samples)
    }

    @Test func collectionsAndRuleOutputLandInOrderWithStaleMarkers() async throws {
        let tree = ScratchTree()
        let writer = try await open(tree)
        writer.append(snapshot(at: Self.start, ["a": 1, "b": 2]))
        writer.append(snapshot(at: Self.start + 10_000, ["a": 3]))
        writer.write([(Labels(["__name__": "recorded"]), Sample(timestamp: Self.start + 10_000, value: 9))])
        await writer.drain()
        #expect(try samples(writer.store, "a").map(\.value) == [1, 3])
        let b = try samples(writer.store, "b")
        #expect(b.map(\.timestamp) == [Self.start, Self.start + 10_000])
        #expect(b.first?.value == 2 && StaleMarker.isStale(b.last!.value))
        #expect(try samples(writer.store, "recorded").map(\.value) == [9])
        await writer.close()

        // Everything was made durable on close: a reopened store replays it.
        let reopened = try await open(tree)
        #expect(try samples(reopened.store, "a").map(\.value) == [1, 3])
        await reopened.close()
    }

    /// A cut whose block files cannot be written (a disk that hangs) must not stop the
    /// collections behind it: they are appended and queryable while the block is still
    /// being written, and nothing is lost once the disk comes back.
    @Test func aBlockBeingWrittenDoesNotHoldUpCollections() async throws {
        let tree = ScratchTree()
        let disk = GatedFileSystem { path, operation in operation == .write && !path.contains("/wal/") }
        let writer = try await open(tree, blockRange: 60_000, fileSystem: disk)
        // Three minutes of history: the head spans more than one and a half block ranges,
        // so the first maintenance cuts a block.
        for step in 0..<18 {
            writer.append(snapshot(at: Self.start + Int64(step) * 10_000, ["load": Double(step)]))
            await writer.drain()  // the writer queues at most 16 collections
        }
        let maintenance = Task { await writer.runMaintenance() }
        await eventually("the cut is writing its block") { !disk.waiting.isEmpty }

        for step in 18..<24 { writer.append(snapshot(at: Self.start + Int64(step) * 10_000, ["load": Double(step)])) }
        try await eventually("the collections are appended") {
            try samples(writer.store, "load", from: Self.start + 180_000).count == 6
        }
        #expect(!disk.waiting.isEmpty, "the block was still being written")

        disk.open()
        await eventually("the block is written") { !writer.store.blocks.isEmpty }
        maintenance.cancel()
        await maintenance.value
        await writer.close()

        let reopened = try await open(tree, blockRange: 60_000)
        #expect(try samples(reopened.store, "load").map(\.value) == (0..<24).map(Double.init))
        await reopened.close()
    }

    /// A writer stuck on a disk that does not answer holds a bounded number of collections;
    /// the rest are counted as dropped, and the queued ones land when the disk answers.
    @Test func aStuckWriterQueuesABoundedNumberOfCollections() async throws {
        let tree = ScratchTree()
        let disk = GatedFileSystem { path, operation in operation == .write && path.contains("/wal/") }
        let writer = try await open(tree, fileSystem: disk)
        writer.append(snapshot(at: Self.start, ["up": 1]))
        await eventually("the writer is stuck in the WAL") { !disk.waiting.isEmpty }
        let queued = StoreWriter.maxQueuedCollections
        for step in 1...(queued + 5) { writer.append(snapshot(at: Self.start + Int64(step) * 1000, ["up": 1])) }
        var metrics = MetricsBuilder()
        writer.report(into: &metrics)
        let dropped = metrics.build().first { $0.name == "scalewatch_store_dropped_collections_total" }
        // The first collection is being written, `queued - 1` wait behind it (the bound counts
        // both), and the rest are dropped.
        #expect(dropped?.samples.first?.value == 6)

        disk.open()
        await writer.drain()
        #expect(try samples(writer.store, "up").count == queued)
        await writer.close()
    }

    /// A WAL fsync that does not return (a slow or stuck disk) holds up neither the writer
    /// nor queries: the fsync runs on the maintenance thread, outside the lock appends take.
    @Test func aStuckWALFsyncDoesNotHoldUpAppends() async throws {
        let tree = ScratchTree()
        let disk = GatedFileSystem { path, operation in operation == .sync && path.contains("/wal/") }
        let writer = try await open(tree, fileSystem: disk)
        writer.append(snapshot(at: Self.start, ["up": 1]))
        await writer.drain()
        let maintenance = Task { await writer.runMaintenance() }
        await eventually("the WAL's fsync is stuck") { !disk.waiting.isEmpty }

        for step in 1...5 { writer.append(snapshot(at: Self.start + Int64(step) * 1000, ["up": 1])) }
        try await eventually("the collections are appended") { try samples(writer.store, "up").count == 6 }
        #expect(!disk.waiting.isEmpty, "the fsync was still stuck")

        disk.open()
        maintenance.cancel()
        await maintenance.value
        await writer.close()
    }
}
