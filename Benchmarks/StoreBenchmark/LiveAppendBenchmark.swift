import MetricStore

#if canImport(Glibc)
import Glibc
#endif

/// The agent's write path on the dataset: one append per collection round with the writer's
/// series-ref cache, and the store's maintenance as `StoreWriter` runs it on its own timer:
/// the WAL fsynced and the head cut and compacted every 10 s of the dataset's time (every 10
/// rounds of its 1 s samples), all on this one thread so that CPU time tells the whole cost.
/// The dataset spans 25 minutes, so the block range is shortened to `blockRangeMinutes` to
/// make the head cut and compact inside it; the codecs and files are the agent's own.
struct LiveAppendBenchmark {
    let dataset: Dataset
    let directory: String
    let blockRangeMinutes: Int64

    /// The agent's maintenance period (10 s) in rounds of the dataset's 1 s samples.
    static let maintenanceRounds = 10

    func run() throws {
        var options = StoreOptions()
        options.head.blockRange = blockRangeMinutes * 60_000
        let rounds = dataset.rounds()
        let store = try Store.open(directory: directory, options: options)
        let clock = ContinuousClock()
        let cpuBefore = cpuSeconds()
        var appended = 0, outOfOrder = 0
        let elapsed = try clock.measure {
            var cache = SeriesRefCache()
            for (index, round) in rounds.enumerated() {
                let result = store.append(round, cache: &cache)
                appended += result.appended
                outOfOrder += result.outOfOrder
                if index % Self.maintenanceRounds == Self.maintenanceRounds - 1 {
                    store.flush()
                    try store.cutBlocksIfDue()
                    try store.compactIfDue()
                }
            }
            try store.sync()
        }
        let cpu = cpuSeconds() - cpuBefore
        let blocks = store.blocks
        store.close()

        let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        let inBlocks = blocks.reduce(0) { $0 + $1.meta.stats.samples }
        let blockBytes = bytesOnDisk(directory, excluding: [StoreFileNames.wal, StoreFileNames.lock])
        let allBytes = bytesOnDisk(directory, excluding: [StoreFileNames.lock])
        let walBytes = allBytes - blockBytes
        print("live path: \(rounds.count) rounds, block range \(blockRangeMinutes) min")
        print("  appended samples        \(appended) (out of order \(outOfOrder))")
        print("  wall / cpu seconds      \(format(seconds)) / \(format(cpu))")
        print("  samples per second      \(Int(Double(appended) / seconds)) (wall), \(Int(Double(appended) / cpu)) (per core)")
        print("  blocks after compaction \(blocks.count): \(blocks.map { "\(($0.meta.maxTime - $0.meta.minTime) / 60_000) min" }.joined(separator: ", "))")
        print("  samples in blocks       \(inBlocks), bytes \(blockBytes), bytes per sample \(format(Double(blockBytes) / Double(max(inBlocks, 1))))")
        print("  head still in WAL       \(appended - inBlocks) samples, \(walBytes) bytes")
        print("  all files               \(allBytes) bytes, \(format(Double(allBytes) / Double(appended))) per appended sample")
        print("  peak RSS MiB            \(format(peakRSSMiB()))")
    }
}

func format(_ value: Double) -> String {
    let scaled = (value * 1000).rounded() / 1000
    return "\(scaled)"
}
