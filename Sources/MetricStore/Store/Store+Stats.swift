/// What `scalewatch tsdb stats` shows.
public struct StoreStats: Sendable {
    public struct BlockSummary: Sendable {
        public let meta: BlockMeta
        public let bytes: Int
    }

    public var blocks: [BlockSummary] = []
    public var head: Head.Stats
    public var walBytes = 0
    public var totalBytes = 0
    public var series = 0
    public var samples = 0
    /// Metric names with their series count and approximate stored bytes, most first.
    public var topBySeries: [(name: String, series: Int)] = []
    public var topByBytes: [(name: String, bytes: Int)] = []

    public var bytesPerSample: Double { samples == 0 ? 0 : Double(totalBytes) / Double(samples) }
}

extension Store {
    /// Sizes on disk and per metric name. A metric's bytes are its share of its blocks'
    /// compressed chunk data, apportioned by the size of its chunks before compression
    /// (chunks are compressed in shared frames, so no exact per-series figure exists), plus
    /// its head chunks.
    public func stats(top: Int = 10) throws(StoreError) -> StoreStats {
        var stats = StoreStats(head: head.stats())
        var seriesByName: [String: Set<Labels>] = [:]
        var bytesByName: [String: Double] = [:]
        do {
            for block in blocks {
                let bytes = try treeBytes(block.directory)
                stats.blocks.append(.init(meta: block.meta, bytes: bytes))
                stats.samples += block.meta.stats.samples
                var rawByName: [String: Int] = [:]
                var rawTotal = 0
                for id in 0..<block.seriesCount {
                    let series = try block.series(id)
                    let name = series.labels.metricName ?? ""
                    seriesByName[name, default: []].insert(series.labels)
                    let raw = series.chunks.reduce(0) { $0 + $1.ref.length }
                    rawByName[name, default: 0] += raw
                    rawTotal += raw
                }
                for (name, raw) in rawByName where rawTotal > 0 {
                    bytesByName[name, default: 0] += Double(bytes) * Double(raw) / Double(rawTotal)
                }
            }
            for series in head.select([], minTime: .min, maxTime: .max) {
                let name = series.labels.metricName ?? ""
                seriesByName[name, default: []].insert(series.labels)
                bytesByName[name, default: 0] += Double(series.chunks.reduce(0) { $0 + $1.bytes.count })
            }
            let walDirectory = directory + "/" + StoreFileNames.wal
            stats.walBytes = fileSystem.isDirectory(walDirectory) ? try treeBytes(walDirectory) : 0
        } catch let error as StoreError {
            throw error
        } catch let error as FileSystemError {
            throw .io(error)
        } catch {
            throw .block("\(error)", cause: error)
        }
        stats.samples += stats.head.samples
        stats.series = seriesByName.values.reduce(0) { $0 + $1.count }
        stats.totalBytes = stats.blocks.reduce(0) { $0 + $1.bytes } + stats.walBytes
        stats.topBySeries = seriesByName.map { ($0.key, $0.value.count) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(top).map { ($0.0, $0.1) }
        stats.topByBytes = bytesByName.map { ($0.key, Int($0.value.rounded())) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(top).map { ($0.0, $0.1) }
        return stats
    }
}
