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
        // About what a host's families take (help lines, and 60-odd bytes a sample), so that the
        // buffer rarely grows and copies.
        out.reserveCapacity(families.reduce(0) { $0 + 160 + 64 * $1.samples.count })
        // A snapshot's families come sorted already.
        let ordered = families.indices.dropFirst().allSatisfy { families[$0 - 1].name <= families[$0].name }
        for family in ordered ? families : families.sorted(by: { $0.name < $1.name }) where !family.samples.isEmpty {
            switch format {
            case .text: appendText(family, to: &out)
            case .openMetrics: appendOpenMetrics(family, to: &out)
            }
        }
        if format == .openMetrics { out.append(contentsOf: "# EOF\n".utf8) }
        return out
    }

    // The lines are appended piece by piece: string interpolation built a String per family.
    private static func appendText(_ family: MetricFamily, to out: inout [UInt8]) {
        let declaredType = family.untypedInText ? MetricType.untyped : family.type
        appendHeader(name: family.name, help: family.help, quotesInHelp: false, type: declaredType.rawValue, to: &out)
        appendSamples(family, to: &out)
    }

    private static func appendHeader(name: String, help: String, quotesInHelp: Bool, type: String, to out: inout [UInt8]) {
        out.append(contentsOf: "# HELP ".utf8)
        appendBytes(of: name, to: &out)
        out.append(UInt8(ascii: " "))
        appendEscaped(help, quotes: quotesInHelp, to: &out)
        out.append(contentsOf: "\n# TYPE ".utf8)
        appendBytes(of: name, to: &out)
        out.append(UInt8(ascii: " "))
        appendBytes(of: type, to: &out)
        out.append(UInt8(ascii: "\n"))
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
        appendHeader(name: declaredName, help: family.help, quotesInHelp: true, type: declaredType, to: &out)
        appendSamples(family, to: &out)
    }

    private static func appendSamples(_ family: MetricFamily, to out: inout [UInt8]) {
        // A histogram's buckets by `le` as numbers (`le="10"` after `le="2.5"`), then `_count`
        // and `_sum`, per label set, as client libraries write them.
        // Most collectors report in label order already: checked before copying to sort.
        let samples =
            family.type == .histogram
            ? family.samples.sorted(by: Self.histogramOrder)
            : isOrderedByLabels(family.samples) ? family.samples : family.samples.sorted(by: { $0.labels < $1.labels })
        for sample in samples {
            appendBytes(of: family.name, to: &out)
            if !sample.suffix.isEmpty { appendBytes(of: sample.suffix, to: &out) }
            if !sample.labels.isEmpty {
                var separator = UInt8(ascii: "{")
                for label in sample.labels.pairs {
                    out.append(separator)
                    separator = UInt8(ascii: ",")
                    appendBytes(of: label.name, to: &out)
                    out.append(UInt8(ascii: "="))
                    out.append(UInt8(ascii: "\""))
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

    private static func isOrderedByLabels(_ samples: [MetricSample]) -> Bool {
        var index = 1
        while index < samples.count {
            if samples[index].labels < samples[index - 1].labels { return false }
            index += 1
        }
        return true
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

    /// A string's bytes in one copy: appending a `String.UTF8View` as a sequence went through
    /// the generic path, which most of a sample line's pieces took.
    private static func appendBytes(of text: String, to out: inout [UInt8]) {
        let copied = text.utf8.withContiguousStorageIfAvailable { out.append(contentsOf: $0) }
        if copied == nil { out.append(contentsOf: text.utf8) }
    }

    /// Escapes backslash and newline, and double quotes where the format requires it (label
    /// values in both formats, HELP text in OpenMetrics only).
    private static func appendEscaped(_ text: String, quotes: Bool, to out: inout [UInt8]) {
        func needsEscape(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\"") && quotes)
        }
        // Almost no text needs an escape: scanned in place and appended whole.
        let appendedWhole = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: needsEscape) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if appendedWhole == true { return }
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
