#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be opened or read, with the path and the system's reason.
public struct FileReadError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let errno: Int32

    public var description: String { "\(path): \(String(cString: strerror(errno)))" }

    /// Whether the file simply does not exist, which collectors treat as "feature absent".
    public var isNotFound: Bool { errno == ENOENT || errno == ENOTDIR }
}

/// Reads whole small files (procfs, sysfs) with plain system calls: procfs files report size
/// 0, so read until EOF; Foundation is avoided on this hot path for memory and speed.
public enum FileReading {
    public static func string(atPath path: String) throws(FileReadError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw FileReadError(path: path, errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, errno: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The file's contents, or nil when it does not exist.
    public static func optionalString(atPath path: String) throws(FileReadError) -> String? {
        do {
            return try string(atPath: path)
        } catch where error.isNotFound {
            return nil
        }
    }

    /// Names in a directory, without `.` and `..`, sorted; nil when it does not exist.
    public static func directoryEntries(atPath path: String) throws(FileReadError) -> [String]? {
        guard let dir = opendir(path) else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw FileReadError(path: path, errno: code)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
