#if canImport(Glibc)
import Glibc
#endif

@testable import MetricStore

/// A fresh directory under /tmp, removed by `remove()`.
struct TestDirectory {
    let path: String
    let fileSystem = PosixFileSystem()

    init() {
        var template = Array("/tmp/scalewatch-store-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func remove() {
        try? fileSystem.remove(path)
    }
}
