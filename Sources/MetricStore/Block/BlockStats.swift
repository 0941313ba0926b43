/// Counts of what a block holds, kept in `meta.json` so that stats and retention need not
/// open the index.
public struct BlockStats: Sendable, Hashable {
    public var series: Int
    public var samples: Int
    public var chunks: Int

    public init(series: Int, samples: Int, chunks: Int) {
        self.series = series
        self.samples = samples
        self.chunks = chunks
    }
}
