/// One series of a block as the index holds it: its labels and its chunks in time order,
/// which never overlap.
public struct BlockSeries: Sendable, Hashable {
    public var labels: Labels
    public var chunks: [BlockChunkMeta]

    public init(labels: Labels, chunks: [BlockChunkMeta]) {
        self.labels = labels
        self.chunks = chunks
    }
}
