/// Why a block could not be opened or read. The three cases call for different actions:
/// quarantine a corrupt block, leave a newer block alone, retry or report an I/O error.
public enum BlockReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case corrupt(BlockCorruptionError)
    /// Written by a newer build (or not a block file at all): not corruption.
    case unsupportedVersion(block: String, file: String, version: Int)
    case io(FileSystemError)

    public var description: String {
        switch self {
        case .corrupt(let error): error.description
        case .unsupportedVersion(let block, let file, let version):
            "block \(block): \(file) has format version \(version), which this build cannot read"
        case .io(let error): error.description
        }
    }
}

extension BlockReadError {
    /// Runs a file-system call, reporting its failure as `.io`.
    static func io<T>(_ body: () throws(FileSystemError) -> T) throws(BlockReadError) -> T {
        do {
            return try body()
        } catch {
            throw .io(error)
        }
    }
}
