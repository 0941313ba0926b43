/// Every field of /proc/meminfo as a gauge, under node_exporter's `meminfo` names:
/// `MemAvailable:  24234148 kB` becomes `node_memory_MemAvailable_bytes`, and
/// `Active(anon)` becomes `Active_anon`. Fields are taken as the kernel lists them rather
/// than from a fixed list, so a newer kernel's fields appear without a code change.
public struct MeminfoCollector: Collector {
    public let name = "meminfo"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    /// Per key, the family and help, and whether the line is in kB (a `_bytes` family).
    private let lineNames = LineNameCache<(family: String, help: String, kilobytes: Bool)>()

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("meminfo")
        let text = try FileReading.string(atPath: file)
        if let lines = Self.keysAndValues(text) {
            let selection = lineNames.metrics(for: lines.keys) { position, key in
                // `parse` names the family, from the key and the line's unit; nil if it refuses.
                let kilobytes = lines.values[position].kilobytes
                guard let field = (try? Self.parse(String(key) + ": 0" + (kilobytes ? " kB" : ""), file: file))?.first else { return nil }
                return (Self.family(field.name), Self.help(field.name), kilobytes)
            }
            // Each line named and in the unit its name was made for.
            if zip(selection, lines.values).allSatisfy({ $0.metric?.kilobytes == $1.kilobytes }) {
                for (entry, value) in zip(selection, lines.values) {
                    guard let metric = entry.metric else { continue }
                    metrics.gauge(metric.family, metric.help, value.kilobytes ? Double(value.count) * 1024 : Double(value.count))
                }
                return
            }
        }
        // Not the usual layout: the full parser accepts it or says which line is wrong.
        for field in try Self.parse(text, file: file) {
            metrics.gauge(Self.family(field.name), Self.help(field.name), field.value)
        }
    }

    private static func family(_ field: String) -> String { "node_memory_" + field }
    private static func help(_ field: String) -> String { "Memory information field \(field)." }

    /// Every line as `Key:   count` or `Key:   count kB`, as the kernel writes them; nil for
    /// anything else, which `parse` handles.
    private static func keysAndValues(_ text: String) -> (keys: [Substring], values: [(count: UInt64, kilobytes: Bool)])? {
        var keys: [Substring] = []
        var values: [(count: UInt64, kilobytes: Bool)] = []
        keys.reserveCapacity(64)
        values.reserveCapacity(64)
        let unit = " kB".utf8
        for line in text.splitASCII(UInt8(ascii: "\n")) {
            // Bytes, not Characters: this runs for every line of every collection.
            let bytes = line.utf8
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon != bytes.startIndex else { return nil }
            var digits = bytes[bytes.index(after: colon)...].drop { $0 == UInt8(ascii: " ") }
            let kilobytes = digits.count > unit.count && digits.suffix(unit.count).elementsEqual(unit)
            if kilobytes { digits = digits.dropLast(unit.count) }
            guard let count = ASCIIDecimal.unsigned(digits) else { return nil }
            keys.append(line[..<colon])
            values.append((count, kilobytes))
        }
        return (keys, values)
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
