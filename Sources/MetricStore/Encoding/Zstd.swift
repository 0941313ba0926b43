import CZstd

/// A thin wrapper over libzstd's one-shot API. Decompression always takes a bound, because
/// the size a frame claims is data, and data may be corrupt or hostile.
enum Zstd {
    static let defaultLevel: Int32 = 3

    /// Compresses `source` into one zstd frame that records its content size.
    static func compress(_ source: ArraySlice<UInt8>, level: Int32 = defaultLevel) -> [UInt8] {
        let capacity = ZSTD_compressBound(source.count)
        var output = [UInt8](repeating: 0, count: capacity)
        let written = source.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                ZSTD_compress(out.baseAddress, capacity, input.baseAddress, input.count, level)
            }
        }
        // With a ZSTD_compressBound-sized output only a bad level can fail; levels are clamped
        // by libzstd, so a failure here is a broken library.
        precondition(ZSTD_isError(written) == 0, "BUG: ZSTD_compress failed: \(errorName(written))")
        output.removeSubrange(written...)
        return output
    }

    static func compress(_ source: [UInt8], level: Int32 = defaultLevel) -> [UInt8] {
        compress(source[...], level: level)
    }

    /// Decompresses one frame that must expand to exactly `expectedSize` bytes (the size the
    /// caller stored beside it), which is at most `limit`. Never allocates more than `limit` + 1.
    static func decompress(
        _ source: ArraySlice<UInt8>, expectedSize: Int, limit: Int
    ) throws(ZstdError) -> [UInt8] {
        guard expectedSize >= 0, expectedSize <= limit else {
            throw .tooLarge(size: expectedSize, limit: limit)
        }
        let contentSize = source.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        // ZSTD_CONTENTSIZE_UNKNOWN and _ERROR are the two largest UInt64 values.
        if contentSize < UInt64.max - 1, contentSize != UInt64(expectedSize) {
            throw .sizeMismatch(expected: expectedSize, found: contentSize)
        }
        // One spare byte so that a frame expanding to more than expected is caught rather than
        // cut at the expected size.
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        let written = source.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                ZSTD_decompress(out.baseAddress, out.count, input.baseAddress, input.count)
            }
        }
        if ZSTD_isError(written) != 0 { throw .invalid(errorName(written)) }
        guard written == expectedSize else {
            throw .sizeMismatch(expected: expectedSize, found: UInt64(written))
        }
        output.removeLast()
        return output
    }

    private static func errorName(_ code: Int) -> String {
        String(cString: ZSTD_getErrorName(code))
    }
}
