import MetricStore

/// The access-log families of all sources, summed by label set before they reach the
/// builder: two sources of one namespace (two nginx files without a vhost label) would
/// otherwise report the same series twice.
///
/// Names and labels are prometheus-nginxlog-exporter's (`method`, `status`), plus `vhost` and
/// `upstream` where the source has them. Histograms are reported as their `_bucket`, `_sum`
/// and `_count` sample families (the exposition has no histogram type; the stored series and
/// `histogram_quantile` are the same).
struct AccessLogFamilies {
    private struct Family {
        var help: String
        var type: MetricType
        var values: [Labels: Double] = [:]
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
                    add(name + "_bucket", help, .untyped, count, Labels(pairs + [Label("le", bound)]))
                }
                add(name + "_sum", help, .untyped, histogram.sum, labels)
                add(name + "_count", help, .untyped, histogram.count, labels)
            }
        }
    }

    private mutating func add(_ name: String, _ help: String, _ type: MetricType, _ value: Double, _ labels: Labels) {
        families[name, default: Family(help: help, type: type)].values[labels, default: 0] += value
    }

    /// Families sorted by name, series by labels: the same text for the same counts.
    func render(into metrics: inout MetricsBuilder) {
        for (name, family) in families.sorted(by: { $0.key < $1.key }) {
            for (labels, value) in family.values.sorted(by: { $0.key < $1.key }) {
                metrics.add(name, family.help, family.type, value, labels: labels)
            }
        }
    }

    /// `le` as Prometheus' Go clients write it: `0.005`, `1`, `2.5`.
    static func formatBound(_ bound: Double) -> String {
        if bound == bound.rounded(), abs(bound) < 1e15 { return String(Int64(bound)) }
        return "\(bound)"
    }
}
