#if canImport(Glibc)
import Glibc
#endif
import MetricStore

/// A fresh directory under /tmp for loader tests, removed by `remove()`.
struct RuleTestDirectory {
    let path: String
    private let fileSystem = PosixFileSystem()

    init() {
        var template = Array("/tmp/scalewatch-rules-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `text` to `name` (which may contain directories) and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let full = path + "/" + name
        if let slash = full.lastIndex(of: "/") { try fileSystem.createDirectory(String(full[..<slash])) }
        let file = try fileSystem.create(full)
        try file.write(Array(text.utf8))
        try file.close()
        return full
    }

    func remove() {
        try? fileSystem.remove(path)
    }
}
