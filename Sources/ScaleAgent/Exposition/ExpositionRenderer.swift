import MetricStore

/// Renders families as Prometheus text 0.0.4 or OpenMetrics 1.0. Families are sorted by name
/// and samples by labels so that the output is deterministic (golden files, diffs).
///
/// Both formats must make a scraping Prometheus store the same series names. OpenMetrics
/// requires a counter's samples to be `<family>_total`; a counter whose name does not end in
/// `_total` (node_exporter's untyped vmstat counters, which we know to be counters) is
/// therefore declared `unknown` there, so its sample name is kept as is; the text format
/// declares those `untyped`, as node_exporter does.
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
        let declaredType = family.untypedInText ? MetricType.untyped : family.type
        out.append(contentsOf: "\n# TYPE \(family.name) \(declaredType.rawValue)\n".utf8)
        appendSamples(family, to: &out)
    }

    private static func appendOpenMetrics(_ family: MetricFamily, to out: inout [UInt8]) {
        let isTotalCounter = family.type == .counter && family.name.hasSuffix("_total")
        let declaredName = isTotalCounter ? String(family.name.dropLast("_total".count)) : family.name
        let declaredType: String =
            switch family.type {
            case .counter: isTotalCounter ? "counter" : "unknown"
            case .gauge: "gauge"
            case .histogram: "histogram"
            case .untyped: "unknown"
            }
        out.append(contentsOf: "# HELP \(declaredName) ".utf8)
        appendEscaped(family.help, quotes: true, to: &out)
        out.append(contentsOf: "\n# TYPE \(declaredName) \(declaredType)\n".utf8)
        appendSamples(family, to: &out)
    }

    private static func appendSamples(_ family: MetricFamily, to out: inout [UInt8]) {
        // A histogram's buckets by `le` as numbers (`le="10"` after `le="2.5"`), then `_count`
        // and `_sum`, per label set, as client libraries write them.
        let samples =
            family.type == .histogram
            ? family.samples.sorted(by: Self.histogramOrder) : family.samples.sorted(by: { $0.labels < $1.labels })
        for sample in samples {
            out.append(contentsOf: family.name.utf8)
            out.append(contentsOf: sample.suffix.utf8)
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
            PrometheusFloat.appendGeneral(sample.value, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
    }

    private static func histogramOrder(_ a: MetricSample, _ b: MetricSample) -> Bool {
        let (aSeries, bSeries) = (a.labels.removing("le"), b.labels.removing("le"))
        if aSeries != bSeries { return aSeries < bSeries }
        let rank = ["_bucket": 0, "_count": 1, "_sum": 2]
        let (aRank, bRank) = (rank[a.suffix] ?? 3, rank[b.suffix] ?? 3)
        if aRank != bRank { return aRank < bRank }
        return bound(a) < bound(b)
    }

    private static func bound(_ sample: MetricSample) -> Double {
        sample.labels["le"].flatMap { Double($0 == "+Inf" ? "inf" : $0) } ?? .infinity
    }

    /// Escapes backslash and newline, and double quotes where the format requires it (label
    /// values in both formats, HELP text in OpenMetrics only).
    private static func appendEscaped(_ text: String, quotes: Bool, to out: inout [UInt8]) {
        // Almost no label value needs an escape: appended whole.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || ($0 == UInt8(ascii: "\"") && quotes) }) {
            return out.append(contentsOf: text.utf8)
        }
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
