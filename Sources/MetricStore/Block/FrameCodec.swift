/// How a frame's payload is stored. Persisted (one byte in every frame header); the raw values
/// never change.
enum FrameCodec: UInt8 {
    /// The payload is the chunk bytes as they are: used when zstd would not make the frame
    /// smaller, as for chunks that are already dense bit streams.
    case none = 0
    case zstd = 1
}
