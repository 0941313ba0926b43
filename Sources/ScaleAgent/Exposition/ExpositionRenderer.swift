import MetricStore

/// Renders families as Prometheus text 0.0.4 or OpenMetrics 1.0. Families are sorted by name
/// and samples by labels so that the output is deterministic (golden files, diffs).
///
/// Both formats must make a scraping Prometheus store the same series names. OpenMetrics
/// requires a counter's samples to be `<family>_total`; a counter whose name does not end in
/// `_total` (node_exporter's untyped vmstat counters, which we type) is therefore declared
/// `unknown` there, so its sample name is kept as is.
public enum ExpositionRenderer {
    public static func render(_ families: [MetricFamily], as format: ExpositionFormat) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(families.count * 256)
        for family in families.sorted(by: { $0.name < $1.name }) where !family.samples.isEmpty {
            switch format {
            case .text: appendText(family, to: &out)
            case .openMetrics: appendOpenMetrics(family, to: &out)
            }
        }
        if format == .openMetrics { out.append(contentsOf: "# EOF\n".utf8) }
        return out
    }

    private static func appendText(_ family: MetricFamily, to out: inout [UInt8]) {
        out.append(contentsOf: "# HELP \(family.name) ".utf8)
        appendEscaped(family.help, quotes: false, to: &out)
        out.append(contentsOf: "\n# TYPE \(family.name) \(family.type.rawValue)\n".utf8)
        appendSamples(family, to: &out)
    }

    private static func appendOpenMetrics(_ family: MetricFamily, to out: inout [UInt8]) {
        let isTotalCounter = family.type == .counter && family.name.hasSuffix("_total")
        let declaredName = isTotalCounter ? String(family.name.dropLast("_total".count)) : family.name
        let declaredType: String =
            switch family.type {
            case .counter: isTotalCounter ? "counter" : "unknown"
            case .gauge: "gauge"
            case .untyped: "unknown"
            }
        out.append(contentsOf: "# HELP \(declaredName) ".utf8)
        appendEscaped(family.help, quotes: true, to: &out)
        out.append(contentsOf: "\n# TYPE \(declaredName) \(declaredType)\n".utf8)
        appendSamples(family, to: &out)
    }

    private static func appendSamples(_ family: MetricFamily, to out: inout [UInt8]) {
        for sample in family.samples.sorted(by: { $0.labels < $1.labels }) {
            out.append(contentsOf: family.name.utf8)
            if !sample.labels.isEmpty {
                out.append(UInt8(ascii: "{"))
                for (index, label) in sample.labels.pairs.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: label.name.utf8)
                    out.append(contentsOf: "=\"".utf8)
                    appendEscaped(label.value, quotes: true, to: &out)
                    out.append(UInt8(ascii: "\""))
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: PrometheusFloat.general(sample.value).utf8)
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// Escapes backslash and newline, and double quotes where the format requires it (label
    /// values in both formats, HELP text in OpenMetrics only).
    private static func appendEscaped(_ text: String, quotes: Bool, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\"") where quotes: out.append(contentsOf: "\\\"".utf8)
            default: out.append(byte)
            }
        }
    }
}
