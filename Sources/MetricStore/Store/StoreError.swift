/// Why the store could not open or do what it was asked.
public enum StoreError: Error, CustomStringConvertible {
    /// Another process holds the data directory's lock.
    case locked(directory: String)
    case io(FileSystemError)
    case wal(String)
    case block(String)

    public var description: String {
        switch self {
        case .locked(let directory):
            "\(directory) is in use by another scalewatch process (it holds \(directory)/\(StoreFileNames.lock)); "
                + "stop it, or use a read-only command"
        case .io(let error): error.description
        case .wal(let message): "WAL: \(message)"
        case .block(let message): "block: \(message)"
        }
    }
}
