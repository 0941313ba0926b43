/// Writes stored series as OpenMetrics text with timestamps, the format `import` reads, so
/// that import → export → import gives back every sample. Every family is declared `unknown`:
/// the store keeps no metadata, and `unknown` keeps each sample name exactly as stored.
///
/// What OpenMetrics cannot carry is left out and counted: stale markers (a NaN with a payload
/// the format has no spelling for) and series without a metric name.
public struct OpenMetricsExporter {
    public private(set) var skippedStaleMarkers = 0
    public private(set) var skippedUnnamedSeries = 0
    public private(set) var exportedSamples = 0
    private var currentFamily: String?

    public init() {}

    /// Appends the series, which must come grouped by metric name (as `sortedForExport`
    /// orders them), to `out`.
    public mutating func append(_ series: SeriesSamples, to out: inout [UInt8]) {
        guard let name = series.labels.metricName else {
            skippedUnnamedSeries += 1
            return
        }
        if currentFamily != name {
            out.append(contentsOf: "# TYPE \(name) unknown\n".utf8)
            currentFamily = name
        }
        var prefix = Array(name.utf8)
        let labels = series.labels.removing(Label.metricName)
        if !labels.isEmpty {
            prefix.append(UInt8(ascii: "{"))
            for (index, label) in labels.pairs.enumerated() {
                if index > 0 { prefix.append(UInt8(ascii: ",")) }
                prefix.append(contentsOf: label.name.utf8)
                prefix.append(contentsOf: "=\"".utf8)
                for byte in label.value.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): prefix.append(contentsOf: "\\\\".utf8)
                    case UInt8(ascii: "\""): prefix.append(contentsOf: "\\\"".utf8)
                    case UInt8(ascii: "\n"): prefix.append(contentsOf: "\\n".utf8)
                    default: prefix.append(byte)
                    }
                }
                prefix.append(UInt8(ascii: "\""))
            }
            prefix.append(UInt8(ascii: "}"))
        }
        for sample in series.samples {
            if StaleMarker.isStale(sample.value) {
                skippedStaleMarkers += 1
                continue
            }
            out.append(contentsOf: prefix)
            out.append(UInt8(ascii: " "))
            PrometheusFloat.appendGeneral(sample.value, to: &out)
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: Self.formatTimestamp(sample.timestamp).utf8)
            out.append(UInt8(ascii: "\n"))
            exportedSamples += 1
        }
    }

    public func finish(_ out: inout [UInt8]) {
        out.append(contentsOf: "# EOF\n".utf8)
    }

    /// Groups series by metric name (OpenMetrics forbids interleaving families), then labels.
    public static func sortedForExport(_ series: [SeriesSamples]) -> [SeriesSamples] {
        series.sorted { lhs, rhs in
            let left = lhs.labels.metricName ?? ""
            let right = rhs.labels.metricName ?? ""
            return left != right ? left < right : lhs.labels < rhs.labels
        }
    }

    /// Milliseconds as seconds with exactly three decimals.
    static func formatTimestamp(_ milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = milliseconds.magnitude
        let fraction = String(magnitude % 1000)
        return sign + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
