#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where the log readers stand, persisted so that a restarted agent continues where the last
/// rendered counters ended: nothing read twice, nothing skipped.
///
/// Text, one position per line, `KEY<TAB>VALUE`, after a version line:
///
///     scalewatch-log-positions 1
///     journal	s=0d5c…;i=1f3a;b=…;m=…;t=…;x=…
///     kmsg	6c5f…-boot-id 48213
///     file:/var/log/postgresql/postgresql-15-main.log	2049 131075 88211 0a1b…
///
/// Written whole to `NAME.tmp`, fsynced, renamed over `NAME`, and the directory fsynced: a
/// crash leaves the old file or the new one, never a torn one. Keys and values never contain
/// a tab or a newline (readers refuse such paths).
struct LogPositionFile: Sendable {
    static let header = "scalewatch-log-positions 1"

    let path: String

    struct CorruptFile: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    /// The saved positions; empty when the file does not exist (a first run).
    func load() throws -> [String: String] {
        guard let text = try FileReading.optionalString(atPath: path) else { return [:] }
        return try Self.parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws(CorruptFile) -> [String: String] {
        var lines = text.splitASCII(UInt8(ascii: "\n"))[...]
        guard let first = lines.popFirst(), first == header else {
            throw CorruptFile(path: path, reason: "expected the first line '\(header)'")
        }
        var positions: [String: String] = [:]
        for (index, line) in lines.enumerated() {
            guard let tab = line.firstIndex(of: "\t") else {
                throw CorruptFile(path: path, reason: "line \(index + 2): expected KEY<TAB>VALUE")
            }
            positions[String(line[..<tab])] = String(line[line.index(after: tab)...])
        }
        return positions
    }

    static func render(_ positions: [String: String]) -> String {
        var text = header + "\n"
        for (key, value) in positions.sorted(by: { $0.key < $1.key }) {
            precondition(!key.contains("\t") && !key.contains("\n") && !value.contains("\n"), "BUG: unsafe position \(key)")
            text += key + "\t" + value + "\n"
        }
        return text
    }

    func save(_ positions: [String: String]) throws(SystemCallError) {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        // Like `mkdir -p`: the data directory exists, its `logs/` may not yet.
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o750) != 0 && errno != EEXIST {
                throw SystemCallError(call: "mkdir", argument: prefix, errno: errno)
            }
        }
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        if fd < 0 { throw SystemCallError(call: "open", argument: temporary, errno: errno) }
        var text = Self.render(positions)
        let failure: Int32 = text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return fsync(fd) == 0 ? 0 : errno
        }
        close(fd)
        if failure != 0 { throw SystemCallError(call: "write", argument: temporary, errno: failure) }
        if rename(temporary, path) != 0 { throw SystemCallError(call: "rename", argument: temporary, errno: errno) }
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
