import MetricStore
import NIOConcurrencyHelpers

/// The distribution from os-release(5) under node_exporter's `os` names: `node_os_info` with
/// twelve identifying labels, and `node_os_version` with the major.minor part of VERSION_ID
/// (absent when VERSION_ID does not start with a number, e.g. Debian testing).
public struct OSReleaseCollector: Collector {
    public let name = "os"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    /// The last file parsed, by identity: os-release changes with an upgrade, not between two
    /// collections, and parsing it was most of this collector's cost (node_exporter keeps it
    /// the same way, by modification time).
    private let parsed = NIOLockedValueBox<(file: String, identity: FileIdentity, values: [String: String])?>(nil)

    /// The label names of node_os_info, each from the os-release key of the same name in capitals.
    static let infoLabels = [
        "build_id", "id", "id_like", "image_id", "image_version", "name", "pretty_name", "variant", "variant_id",
        "version", "version_codename", "version_id",
    ]

    public func collect(into metrics: inout MetricsBuilder) throws {
        // /etc/os-release wins; /usr/lib/os-release is the vendor's fallback (os-release(5)).
        for relative in ["etc/os-release", "usr/lib/os-release"] {
            let file = paths.root(relative)
            guard let values = try values(of: file) else { continue }
            let labels = Labels(Self.infoLabels.map { Label($0, values[$0.uppercased()] ?? "") })
            metrics.add(
                "node_os_info",
                "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
                .gauge, 1, labels: labels)
            if let version = Self.majorMinor(values["VERSION_ID"] ?? "") {
                metrics.gauge(
                    "node_os_version", "Metric containing the major.minor part of the OS version.", version,
                    ["id": values["ID"] ?? "", "id_like": values["ID_LIKE"] ?? "", "name": values["NAME"] ?? ""])
            }
            return
        }
    }

    /// The file's variables, or nil when it does not exist.
    private func values(of file: String) throws -> [String: String]? {
        let identity = FileIdentity(path: file)
        if let identity, let known = parsed.withLockedValue({ $0 }), known.file == file, known.identity == identity {
            return known.values
        }
        guard let text = try FileReading.optionalString(atPath: file) else { return nil }
        let values = try Self.parse(text, file: file)
        // Kept only when the file did not change while it was read.
        if let identity, FileIdentity(path: file) == identity {
            parsed.withLockedValue { $0 = (file, identity, values) }
        }
        return values
    }

    /// `12`, `22.04.3 LTS` → 12, 22.04; nil without a leading number or for 0.
    static func majorMinor(_ versionID: String) -> Double? {
        let major = versionID.prefix(while: \.isASCIIDigit)
        guard !major.isEmpty else { return nil }
        var text = String(major)
        let rest = versionID.dropFirst(major.count)
        if rest.first == "." { text += "." + rest.dropFirst().prefix(while: \.isASCIIDigit) }
        guard let value = Double(text), value > 0 else { return nil }
        return value
    }

    /// Shell-like `KEY=value` lines: blank lines and `#` comments skipped; a value may be
    /// bare, in single quotes (literal) or in double quotes (where `\` escapes `"`, `\`, `$`
    /// and a backquote). Anything else — no `=`, a key that is not `[A-Za-z_][A-Za-z0-9_]*`,
    /// an unterminated quote, text after a closing quote — is an error with its line.
    static func parse(_ text: String, file: String) throws(ParseError) -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(file: file, line: index + 1, "expected KEY=value, found '\(line.prefix(40))'")
            }
            let key = String(line[..<equals])
            guard let first = key.first, first.isASCIILetter || first == "_",
                key.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" })
            else {
                throw ParseError(file: file, line: index + 1, "expected a variable name before '=', found '\(key.prefix(40))'")
            }
            values[key] = try unquote(line[line.index(after: equals)...], file: file, line: index + 1)
        }
        return values
    }

    private static func unquote(_ raw: Substring, file: String, line: Int) throws(ParseError) -> String {
        let trimmed = raw.reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed()
        let value = Substring(trimmed)
        guard let quote = value.first, quote == "\"" || quote == "'" else { return String(value) }
        var result = ""
        var escaped = false
        var index = value.index(after: value.startIndex)
        while index < value.endIndex {
            let character = value[index]
            if escaped {
                if !"\"\\$`".contains(character) { result.append("\\") }
                result.append(character)
                escaped = false
            } else if character == "\\" && quote == "\"" {
                escaped = true
            } else if character == quote {
                guard value.index(after: index) == value.endIndex else {
                    throw ParseError(file: file, line: line, "unexpected text after the closing quote")
                }
                return result
            } else {
                result.append(character)
            }
            index = value.index(after: index)
        }
        throw ParseError(file: file, line: line, "unterminated \(quote == "\"" ? "double" : "single") quote")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIILetter: Bool { isASCII && isLetter }
}
