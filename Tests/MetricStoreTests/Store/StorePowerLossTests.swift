import Testing

@testable import MetricStore
import TestSupport

/// The whole store — WAL, head, block cuts, WAL checkpoints and compaction — under simulated
/// power loss at every operation of a workload, in every crash mode: reopening never fails,
/// finds no damage, and returns every sample whose `sync` had returned, and nothing that was
/// never appended.
@Suite struct StorePowerLossTests {
    static let directory = "/data/store"
    static let series = (1...3).map { Labels(["__name__": "m", "id": String($0)]) }

    static var options: StoreOptions {
        var options = StoreOptions()
        options.head.blockRange = 100
        options.head.samplesPerChunk = 4
        options.wal = WALOptions(segmentSize: 256, flushInterval: .zero)
        return options
    }

    struct Promises {
        var appended: [Labels: Set<Sample>] = [:]
        var durable: [Labels: Set<Sample>] = [:]
        var completed = false
    }

    static func run(on fs: PowerLossFileSystem) -> Promises {
        var promises = Promises()
        do {
            let store = try Store.open(directory: directory, options: options, fileSystem: fs)
            for round in 0..<45 {
                let batch = series.enumerated().map { index, labels in
                    (labels, Sample(timestamp: Int64(round * 10 + index), value: Double(round * 3 + index)))
                }
                for (labels, sample) in batch { promises.appended[labels, default: []].insert(sample) }
                store.append(batch)
                if round % 3 == 2 {
                    try store.sync()
                    promises.durable = promises.appended
                }
                try store.cutBlocksIfDue()
                try store.compactIfDue()
            }
            try store.sync()
            promises.durable = promises.appended
            store.close()
            promises.completed = true
        } catch {
            // The power went out; nothing after this was acknowledged.
        }
        return promises
    }

    static func fileSystem(crashAfter: Int?) -> PowerLossFileSystem {
        let fs = PowerLossFileSystem()
        try! fs.createDirectory("/data")
        fs.syncEverything()
        fs.startCounting(crashAfter: crashAfter)
        return fs
    }

    static func verify(_ promises: Promises, after fs: PowerLossFileSystem, _ context: Comment) throws {
        let store = try Store.open(directory: directory, options: options, fileSystem: fs)
        defer { store.close() }
        #expect(store.counters.corruptions == 0, context)
        let stored = try store.select([])
        var found: [Labels: Set<Sample>] = [:]
        for entry in stored { found[entry.labels] = Set(entry.samples) }
        for (labels, samples) in promises.durable {
            let missing = samples.subtracting(found[labels] ?? [])
            #expect(missing.isEmpty, "\(context): lost \(missing.count) samples of \(labels)")
        }
        for (labels, samples) in found {
            #expect(samples.isSubset(of: promises.appended[labels] ?? []), "\(context): invented samples of \(labels)")
        }
    }

    @Test func everyCrashPointInEveryMode() throws {
        let counting = Self.fileSystem(crashAfter: nil)
        #expect(Self.run(on: counting).completed)
        let total = counting.mutatingOperations
        #expect(total > 50, "the workload should cut blocks and checkpoint")
        let finished = try Store.open(directory: Self.directory, options: Self.options, fileSystem: counting.crash())
        #expect(finished.blocks.contains { $0.meta.compaction.level > 1 }, "the workload should compact")
        finished.close()
        for crashPoint in 0...total {
            let fs = Self.fileSystem(crashAfter: crashPoint)
            let promises = Self.run(on: fs)
            for mode in PowerLossFileSystem.CrashMode.all {
                try Self.verify(promises, after: fs.crash(mode), "crash after \(crashPoint) of \(total), \(mode)")
            }
        }
    }
}
