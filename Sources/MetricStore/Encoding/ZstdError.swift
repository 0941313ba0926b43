/// Why a zstd frame could not be decompressed.
enum ZstdError: Error, Equatable, CustomStringConvertible {
    case tooLarge(size: Int, limit: Int)
    case sizeMismatch(expected: Int, found: UInt64)
    case invalid(String)

    var description: String {
        switch self {
        case .tooLarge(let size, let limit): "a frame of \(size) bytes exceeds the limit of \(limit)"
        case .sizeMismatch(let expected, let found): "expected \(expected) bytes, the frame holds \(found)"
        case .invalid(let reason): "invalid zstd frame: \(reason)"
        }
    }
}
