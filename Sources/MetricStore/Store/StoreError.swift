#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why the store could not open or do what it was asked. The WAL and block cases keep the
/// error underneath, so that a caller can tell a full disk (which clears by itself) from
/// damage or a bug without reading text.
public enum StoreError: Error, CustomStringConvertible {
    /// Another process holds the data directory's lock.
    case locked(directory: String)
    /// A read-only open found no data directory at the path.
    case notADataDirectory(String, reason: String)
    case io(FileSystemError)
    case wal(String, cause: (any Error)? = nil)
    case block(String, cause: (any Error)? = nil)

    public var description: String {
        switch self {
        case .locked(let directory):
            "\(EchoedValue(directory)) is in use by another scalewatch process (it holds \(EchoedValue(directory))/\(StoreFileNames.lock)); "
                + "stop it, or use a read-only command"
        case .notADataDirectory(let directory, let reason): "\(EchoedValue(directory)): \(reason)"
        case .io(let error): error.description
        case .wal(let message, _): "WAL: \(message)"
        case .block(let message, _): "block: \(message)"
        }
    }

    /// The file-system failure underneath, if that is what it was.
    public var fileSystemError: FileSystemError? {
        switch self {
        case .locked, .notADataDirectory: nil
        case .io(let error): error
        case .wal(_, let cause), .block(_, let cause): cause.flatMap(Self.fileSystemError(in:))
        }
    }

    /// Out of space or quota: persistence stops until there is room; nothing is damaged.
    public var isDiskFull: Bool {
        guard let errno = fileSystemError?.errno else { return false }
        return errno == ENOSPC || errno == EDQUOT
    }

    private static func fileSystemError(in error: any Error) -> FileSystemError? {
        switch error {
        case let error as FileSystemError: error
        case let error as StoreError: error.fileSystemError
        case BlockWriteError.io(let error): error
        case BlockReadError.io(let error): error
        default: nil
        }
    }
}
