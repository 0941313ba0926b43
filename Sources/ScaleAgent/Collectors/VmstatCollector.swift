/// Selected fields of /proc/vmstat, under node_exporter's `vmstat` names
/// (`node_vmstat_oom_kill`). The names keep node_exporter's form (no `_total`) so that
/// existing dashboards and rules match, and so they are declared untyped in `/metrics` as
/// node_exporter declares them (a counter without `_total` fails `promtool check metrics`);
/// the selected fields only ever grow, so `/api/v1/metadata` calls them counters.
public struct VmstatCollector: Collector {
    public let name = "vmstat"
    private let paths: HostPaths
    private let fields: Pattern

    /// node_exporter's default `--collector.vmstat.fields`: OOM kills, paging and swapping,
    /// and page faults — the memory-pressure signals.
    public static let defaultFields: Pattern = {
        do {
            return try Pattern("^(oom_kill|pgpg|pswp|pg.*fault).*")
        } catch {
            fatalError("BUG: the default vmstat pattern does not compile: \(error)")
        }
    }()

    public init(paths: HostPaths, fields: Pattern = VmstatCollector.defaultFields) {
        self.paths = paths
        self.fields = fields
    }

    private let lineNames = LineNameCache<(family: String, help: String)>()

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("vmstat")
        let text = try FileReading.string(atPath: file)
        guard let lines = Self.namesAndCounts(text) else {
            // Not the usual layout: the full parser accepts it or says which line is wrong.
            for field in try Self.parse(text, file: file, fields: fields) {
                metrics.untypedInTextCounter(Self.family(field.name), Self.help(field.name), field.value)
            }
            return
        }
        let selection = try lineNames.metrics(for: lines.names) { (_, name) throws(ParseError) in
            let name = String(name)
            guard fields.matches(name) else { return nil }
            guard Self.isMetricNameSuffix(name) else {
                _ = try Self.parse(text, file: file, fields: fields)
                throw ParseError(file: file, line: 0, "field '\(name)' does not make a metric name")
            }
            return (Self.family(name), Self.help(name))
        }
        for (entry, count) in zip(selection, lines.counts) {
            guard let metric = entry.metric else { continue }
            metrics.untypedInTextCounter(metric.family, metric.help, Double(count))
        }
    }

    private static func family(_ field: String) -> String { "node_vmstat_" + field }
    private static func help(_ field: String) -> String { "/proc/vmstat information field \(field)." }

    /// Every line as `name count` with one space, as the kernel writes them; nil for anything
    /// else, which `parse` handles.
    private static func namesAndCounts(_ text: String) -> (names: [Substring], counts: [UInt64])? {
        var names: [Substring] = []
        var counts: [UInt64] = []
        names.reserveCapacity(256)
        counts.reserveCapacity(256)
        for line in text.splitASCII(UInt8(ascii: "\n")) {
            guard let space = line.utf8.firstIndex(of: UInt8(ascii: " ")), space != line.startIndex,
                let count = UInt64(line[line.utf8.index(after: space)...])
            else { return nil }
            names.append(line[..<space])
            counts.append(count)
        }
        return (names, counts)
    }

    struct Field: Equatable {
        var name: String
        var value: Double
    }

    /// `name value` lines; only names matching `fields` are returned, but every line must
    /// be well formed, so that a broken file is noticed even when the wanted lines parse.
    static func parse(_ text: String, file: String, fields: Pattern) throws(ParseError) -> [Field] {
        var selected: [Field] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            let parts = line.splitASCII(UInt8(ascii: " "))
            guard parts.count == 2 else {
                throw ParseError(file: file, line: index + 1, "expected 'name value', found \(parts.count) fields")
            }
            guard let count = UInt64(parts[1]) else {
                throw ParseError(file: file, line: index + 1, "'\(parts[0])': expected an unsigned integer, found '\(parts[1])'")
            }
            let name = String(parts[0])
            guard fields.matches(name) else { continue }
            guard isMetricNameSuffix(name) else {
                throw ParseError(file: file, line: index + 1, "field '\(name)' does not make a metric name")
            }
            selected.append(Field(name: name, value: Double(count)))
        }
        return selected
    }

    private static func isMetricNameSuffix(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
    }
}
