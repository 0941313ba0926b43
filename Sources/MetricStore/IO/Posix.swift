#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The system-call loops the POSIX file system shares: retry on EINTR, continue short reads
/// and writes, and turn errno into `FileSystemError` with the path.
enum Posix {
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644, operation: String) throws(FileSystemError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw FileSystemError(operation: operation, path: path, errno: errno) }
        }
    }

    static func status(_ path: String) throws(FileSystemError) -> stat {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileSystemError(operation: "stat", path: path, errno: errno) }
        return info
    }

    /// Runs `call` until it returns something other than -1 with EINTR.
    static func retryingEINTR(operation: String, path: String, _ call: () -> Int32) throws(FileSystemError) {
        while call() != 0 {
            if errno != EINTR { throw FileSystemError(operation: operation, path: path, errno: errno) }
        }
    }

    /// Writes all of `bytes`: write(2) may write fewer bytes than asked (a signal, a pipe, a
    /// nearly full disk), and the rest must follow or the record would be torn.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileSystemError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if count > 0 {
                written += count
            } else if count == 0 {
                // write(2) returns 0 only when it cannot make progress; looping would spin.
                throw FileSystemError(operation: "write", path: path, errno: EIO)
            } else if errno != EINTR {
                throw FileSystemError(operation: "write", path: path, errno: errno)
            }
        }
    }

    /// One read(2) at the file position: fewer bytes than asked is normal, 0 is the end.
    static func readSome(_ fd: Int32, into buffer: inout [UInt8], path: String) throws(FileSystemError) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count >= 0 { return count }
            if errno != EINTR { throw FileSystemError(operation: "read", path: path, errno: errno) }
        }
    }

    /// pread(2) until `buffer` is full or the file ends; returns the bytes read.
    static func readFully(_ fd: Int32, into buffer: inout [UInt8], at offset: Int, path: String) throws(FileSystemError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + filled, raw.count - filled, off_t(offset + filled))
            }
            if count > 0 {
                filled += count
            } else if count == 0 {
                break
            } else if errno != EINTR {
                throw FileSystemError(operation: "pread", path: path, errno: errno)
            }
        }
        return filled
    }

    /// The names in an open directory stream, without `.` and `..`.
    static func entryNames(of stream: OpaquePointer) -> [String] {
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
