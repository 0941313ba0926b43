/// The one framing both chunk segments and index sections use (docs/format/chunk-files.md,
/// "Frame"): a payload, zstd-compressed when that makes it smaller, behind a header that
/// says how big it is and what it expands to, and a CRC-32C over header and payload:
///
///     ┌─────────────────┬───────────────────┬────────────┬─────────────────────────┬─────────────┐
///     │ raw length <4b> │ stored length <4b>│ codec <1b> │ payload <stored length> │ crc32c <4b> │
///     └─────────────────┴───────────────────┴────────────┴─────────────────────────┴─────────────┘
///
/// Lengths are big-endian. The checksum is verified before the header is trusted for anything
/// but locating the checksum, so a damaged length cannot make a reader allocate or
/// decompress garbage.
enum CompressedFrame {
    static let headerSize = 9
    static let checksumSize = 4
    static let overhead = headerSize + checksumSize

    struct Header {
        let rawLength: Int
        let storedLength: Int
        let codec: UInt8
    }

    /// Appends `raw` as one frame.
    static func encode(_ raw: ArraySlice<UInt8>, level: Int32, into writer: inout ByteWriter) {
        precondition(raw.count <= Int(UInt32.max), "BUG: a frame of \(raw.count) bytes")
        let compressed = Zstd.compress(raw, level: level)
        // Dense bit streams and tiny sections can grow under zstd; then they are stored as
        // they are.
        let codec: FrameCodec = compressed.count < raw.count ? .zstd : .none
        let start = writer.count
        writer.putBigEndian32(UInt32(raw.count))
        writer.putBigEndian32(UInt32(codec == .zstd ? compressed.count : raw.count))
        writer.putByte(codec.rawValue)
        if codec == .zstd { writer.putBytes(compressed) } else { writer.putBytes(raw) }
        writer.putBigEndian32(CRC32C.checksum(writer.bytes[start...]))
    }

    static func header(_ bytes: ArraySlice<UInt8>) -> Header {
        var cursor = ByteCursor(bytes)
        let raw = cursor.bigEndian32("raw length")
        let stored = cursor.bigEndian32("stored length")
        let codec = cursor.byte("codec")
        precondition(cursor.error == nil, "BUG: a frame header needs \(headerSize) bytes")
        return Header(rawLength: Int(raw), storedLength: Int(stored), codec: codec)
    }

    /// Verifies and expands a frame whose header, payload and checksum the caller has read
    /// (`header` is `headerBytes` parsed). Offsets in errors count from the frame's start.
    static func decode(
        header: Header, headerBytes: ArraySlice<UInt8>, payload: ArraySlice<UInt8>, checksum: ArraySlice<UInt8>,
        maxRawLength: Int
    ) throws(DecodeError) -> [UInt8] {
        var trailer = ByteCursor(checksum)
        let stored = trailer.bigEndian32("frame crc32c")
        try trailer.check()
        let computed = CRC32C.update(CRC32C.checksum(headerBytes), with: payload)
        let checksumOffset = headerSize + payload.count
        guard stored == computed else {
            throw DecodeError(offset: checksumOffset, expected: "frame crc32c \(hex(computed))", found: hex(stored))
        }
        // Past the checksum the header is what a writer wrote; these checks catch a writer
        // bug or a colliding checksum, never trap on it.
        guard header.rawLength <= maxRawLength else {
            throw DecodeError(offset: 0, expected: "a raw length of at most \(maxRawLength)", found: "\(header.rawLength)")
        }
        switch FrameCodec(rawValue: header.codec) {
        case .none?:
            guard header.storedLength == header.rawLength else {
                throw DecodeError(
                    offset: 0, expected: "equal raw and stored lengths in an uncompressed frame",
                    found: "\(header.rawLength) and \(header.storedLength)")
            }
            return Array(payload)
        case .zstd?:
            do {
                return try Zstd.decompress(payload, expectedSize: header.rawLength, limit: maxRawLength)
            } catch {
                throw DecodeError(offset: headerSize, expected: "a zstd frame of \(header.rawLength) bytes", found: error.description)
            }
        case nil:
            throw DecodeError(offset: 8, expected: "a frame codec (0 none, 1 zstd)", found: "\(header.codec)")
        }
    }

    static func hex(_ value: UInt32) -> String {
        "0x" + String(value, radix: 16)
    }
}
