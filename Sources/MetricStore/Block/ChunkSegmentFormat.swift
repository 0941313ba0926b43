/// The layout of a chunk segment file, drawn in docs/format/chunk-files.md:
///
///     ┌──────────────────────────────┬───────────────┬───────────────┐
///     │ magic 0x53574348 <4b> "SWCH" │ version <1b>  │ padding <3b>  │
///     ├──────────────────────────────┴───────────────┴───────────────┤
///     │ frame 1                                                      │
///     │ …                                                            │
///     │ frame n                                                      │
///     └──────────────────────────────────────────────────────────────┘
///
/// and every frame is a `CompressedFrame` of chunk bytes.
enum ChunkSegmentFormat {
    static let magic: UInt32 = 0x5357_4348
    static let version: UInt8 = 1
    static let headerSize = 8
    /// The most bytes a frame may expand to. A reader refuses larger frames before allocating,
    /// so a corrupt length cannot make it allocate gigabytes; the writer refuses larger chunks.
    static let maxFrameRawSize = 16 << 20

    static func header() -> [UInt8] {
        var writer = ByteWriter(reservingCapacity: headerSize)
        writer.putBigEndian32(magic)
        writer.putByte(version)
        writer.putBytes([0, 0, 0])
        return writer.bytes
    }
}
