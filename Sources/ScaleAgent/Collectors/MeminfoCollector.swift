/// Every field of /proc/meminfo as a gauge, under node_exporter's `meminfo` names:
/// `MemAvailable:  24234148 kB` becomes `node_memory_MemAvailable_bytes`, and
/// `Active(anon)` becomes `Active_anon`. Fields are taken as the kernel lists them rather
/// than from a fixed list, so a newer kernel's fields appear without a code change.
public struct MeminfoCollector: Collector {
    public let name = "meminfo"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("meminfo")
        for field in try Self.parse(FileReading.string(atPath: file), file: file) {
            metrics.gauge("node_memory_" + field.name, "Memory information field \(field.name).", field.value)
        }
    }

    struct Field: Equatable {
        /// The metric name after `node_memory_`, with `_bytes` for fields the kernel gives in kB.
        var name: String
        var value: Double
    }

    /// `Key:  value kB` or, for page counts such as `HugePages_Total`, `Key:  value`.
    static func parse(_ text: String, file: String) throws(ParseError) -> [Field] {
        var fields: [Field] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let parts = line.splitASCII(UInt8(ascii: " "))
            // Some kernels (CentOS 6's 3.10) print blank lines.
            if parts.isEmpty { continue }
            let lineNumber = index + 1
            guard parts.count == 2 || parts.count == 3 else {
                throw ParseError(file: file, line: lineNumber, "expected 'Key: value [kB]', found \(parts.count) fields")
            }
            guard parts[0].count > 1, parts[0].last == ":" else {
                throw ParseError(file: file, line: lineNumber, "expected a key ending in ':', found '\(parts[0])'")
            }
            var name = metricSuffix(parts[0].dropLast())
            guard isMetricNameSuffix(name) else {
                throw ParseError(file: file, line: lineNumber, "key '\(parts[0].dropLast())' does not make a metric name")
            }
            guard let count = UInt64(parts[1]) else {
                throw ParseError(file: file, line: lineNumber, "expected an unsigned integer, found '\(parts[1])'")
            }
            var value = Double(count)
            if parts.count == 3 {
                guard parts[2] == "kB" else {
                    throw ParseError(file: file, line: lineNumber, "expected the unit 'kB', found '\(parts[2])'")
                }
                value *= 1024
                name += "_bytes"
            }
            fields.append(Field(name: name, value: value))
        }
        return fields
    }

    /// `Active(anon)` → `Active_anon`: the parenthesised part is joined with an underscore.
    private static func metricSuffix(_ key: Substring) -> String {
        guard let open = key.firstIndex(of: "("), let close = key.lastIndex(of: ")"), open < close else {
            return String(key)
        }
        return key[..<open] + "_" + key[key.index(after: open)..<close] + key[key.index(after: close)...]
    }

    private static func isMetricNameSuffix(_ name: String) -> Bool {
        name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
    }
}
