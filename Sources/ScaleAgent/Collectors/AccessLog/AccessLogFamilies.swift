import MetricStore

/// The access-log families of all sources, summed by label set before they reach the
/// builder: two sources of one namespace (two nginx files without a vhost label) would
/// otherwise report the same series twice.
///
/// Names and labels are prometheus-nginxlog-exporter's (`method`, `status`), plus `vhost` and
/// `upstream` where the source has them. The two time histograms are typed `histogram`, as
/// the exporter's are, with their `_bucket`, `_sum` and `_count` series.
struct AccessLogFamilies {
    private struct Series: Hashable, Comparable {
        var labels: Labels
        var suffix: String

        static func < (a: Series, b: Series) -> Bool {
            a.labels != b.labels ? a.labels < b.labels : a.suffix < b.suffix
        }
    }

    private struct Family {
        var help: String
        var type: MetricType
        var values: [Series: Double] = [:]
    }

    private var families: [String: Family] = [:]

    static let statusLabels: [String] = (0...999).map { String($0) }

    mutating func add(_ tally: AccessLogTally, namespace ns: String) {
        let buckets = tally.settings.buckets
        let bucketLabels = buckets.map { Self.formatBound($0) } + ["+Inf"]
        add("\(ns)_parse_errors_total", "Total number of log file lines that could not be parsed", .counter, tally.parseErrors, .empty)
        for series in tally.series {
            let key = series.key
            var pairs = [
                Label("method", key.method.label),
                Label("status", key.status >= 0 ? Self.statusLabels[Int(key.status)] : String(key.status)),
            ]
            if key.upstream >= 0 { pairs.append(Label("upstream", tally.upstreams.values[Int(key.upstream)])) }
            if key.vhost >= 0 { pairs.append(Label("vhost", tally.vhosts.values[Int(key.vhost)])) }
            let labels = Labels(pairs)
            add("\(ns)_http_response_count_total", "Amount of processed HTTP requests", .counter, series.count, labels)
            add("\(ns)_http_response_size_bytes", "Total amount of transferred bytes", .counter, series.bytes, labels)
            for (histogram, name, help) in [
                (series.responseTime, "\(ns)_http_response_time_seconds_hist", "Time needed by NGINX to handle requests"),
                (series.upstreamTime, "\(ns)_http_upstream_time_seconds_hist", "Time needed by upstream servers to handle requests"),
            ] where histogram.count > 0 {
                for (bound, count) in zip(bucketLabels, histogram.cumulative()) {
                    add(name, help, .histogram, count, Labels(pairs + [Label("le", bound)]), suffix: "_bucket")
                }
                add(name, help, .histogram, histogram.sum, labels, suffix: "_sum")
                add(name, help, .histogram, histogram.count, labels, suffix: "_count")
            }
        }
    }

    private mutating func add(
        _ name: String, _ help: String, _ type: MetricType, _ value: Double, _ labels: Labels, suffix: String = ""
    ) {
        families[name, default: Family(help: help, type: type)].values[Series(labels: labels, suffix: suffix), default: 0] += value
    }

    /// Families sorted by name, series by labels: the same text for the same counts.
    func render(into metrics: inout MetricsBuilder) {
        for (name, family) in families.sorted(by: { $0.key < $1.key }) {
            for (series, value) in family.values.sorted(by: { $0.key < $1.key }) {
                if family.type == .histogram {
                    metrics.histogramSample(name, family.help, suffix: series.suffix, value, labels: series.labels)
                } else {
                    metrics.add(name, family.help, family.type, value, labels: series.labels)
                }
            }
        }
    }

    /// `le` as Prometheus' Go clients write it: `0.005`, `1`, `2.5`.
    static func formatBound(_ bound: Double) -> String {
        if bound == bound.rounded(), abs(bound) < 1e15 { return String(Int64(bound)) }
        return "\(bound)"
    }
}
