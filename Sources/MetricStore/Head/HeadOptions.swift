public struct HeadOptions: Sendable, Equatable {
    /// Samples per chunk before a new one starts; Prometheus' 120 keeps a chunk's
    /// decoding cost and its compression in balance.
    public var samplesPerChunk = 120
    /// Milliseconds of one block; chunks never cross a multiple of it.
    public var blockRange: Int64 = 2 * 3_600_000

    public init() {}
}
