import MetricStore

/// What a chart shows: series over a time range, in a unit, at a size. Made by `/graph` and
/// the status page from query results; drawn by `SVGChartRenderer`.
struct Chart: Sendable, Equatable {
    struct Series: Sendable, Equatable {
        /// The legend's text, as Prometheus prints a series: `name{label="value", …}`.
        var label: String
        /// In time order.
        var points: [Sample]
    }

    var title: String
    var series: [Series]
    /// Unix milliseconds.
    var start: Int64
    var end: Int64
    /// The spacing of the points: a wider gap between two points is drawn as a gap.
    var step: Int64
    var unit: ChartUnit
    var width = 800
    var height = 300
    /// At most this many series are drawn; the legend names how many more there were.
    var maxSeries = 12

    /// `name{a="1", b="2"}`; `{}` for a series without labels.
    static func legend(_ labels: Labels) -> String {
        let name = labels.metricName ?? ""
        let rest = labels.pairs.filter { $0.name != Label.metricName }
        if rest.isEmpty { return name.isEmpty ? "{}" : name }
        return name + "{" + rest.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}
