// The chunk encoding tag of docs/format/chunks.md; its values are on disk.

/// How a chunk's bytes are encoded, stored beside them (one byte) wherever chunks are
/// persisted. The raw values are part of the on-disk format and never change; a byte this
/// build does not know decodes as `unknown` and the chunk is reported, not guessed at.
public enum ChunkEncoding: Sendable, Equatable {
    /// The head's appendable chunk: delta-of-delta timestamps, Gorilla XOR values with an
    /// integer fast path (`XORChunk`).
    case xor
    /// The immutable blocks' chunk: byte-aligned, adaptive per chunk, made to be compressed
    /// with zstd in groups (`CompactChunkCodec`).
    case compact
    case unknown(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .xor
        case 2: self = .compact
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .xor: 1
        case .compact: 2
        case .unknown(let value): value
        }
    }
}
