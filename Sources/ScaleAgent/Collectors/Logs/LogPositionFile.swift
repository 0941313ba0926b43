import MetricStore
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
/// Written through `AtomicFile`: a crash leaves the old file or the new one, never a torn
/// one. Keys and values never contain
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
        let file = AtomicFile(path: path, fileSystem: PosixFileSystem(fileMode: 0o640, directoryMode: 0o750))
        do {
            try file.write(Array(Self.render(positions).utf8))
        } catch {
            throw SystemCallError(call: error.operation, argument: error.path, errno: error.errno)
        }
    }
}
