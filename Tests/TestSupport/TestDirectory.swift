#if canImport(Glibc)
import Glibc
#endif
import MetricStore

/// A fresh directory under /tmp for one test, removed by `remove()`.
public struct TestDirectory: Sendable {
    public let path: String
    public let fileSystem = PosixFileSystem()

    /// `prefix` names the directory after the suite, so that one left behind by a crashed run
    /// says where it came from.
    public init(prefix: String = "scalewatch-test") {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The full path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` (which may contain directories) and returns the full path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let full = file(name)
        if let slash = full.lastIndex(of: "/") { try fileSystem.createDirectory(String(full[..<slash])) }
        let handle = try fileSystem.create(full)
        try handle.write(Array(text.utf8))
        try handle.close()
        return full
    }

    public func remove() {
        try? fileSystem.remove(path)
    }
}
