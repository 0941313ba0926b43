import AlertEngine
import Foundation
import MetricStore

/// A range query's result drawn for a terminal: one line per series, a sparkline of block
/// glyphs scaled to that series' own minimum and maximum, which are printed beside it with the
/// last value and the labels; a labelled time axis (UTC) below. Pure (values and width in,
/// lines out) and free of escape codes, so it prints the same into a pipe or a file.
///
/// Block glyphs rather than braille: a one-line sparkline of braille has four levels, block
/// glyphs have eight, and they render in every terminal font.
public enum TerminalChart {
    /// Eight levels, lowest first: the minimum is drawn visibly (`▁`), a gap is a space.
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// Each of min, max and last: right-aligned in this many columns.
    static let statWidth = 9
    /// The chart needs at least this many columns to say anything.
    static let minimumChartWidth = 10
    /// Labels get at most this share of a wide terminal, never less than `minimumLabelWidth`.
    static let minimumLabelWidth = 20

    /// Whether the chart is worth drawing on a terminal of `columns` × `rows`: at least two
    /// steps, every series on the screen with its axis, and room for a readable chart.
    public static func fits(_ series: [RangeSeries], columns: Int, rows: Int) -> Bool {
        !series.isEmpty && series.count + 3 <= rows && chartColumns(series, columns: columns) >= minimumChartWidth
    }

    /// The lines to print, each at most `width` columns wide.
    public static func render(_ series: [RangeSeries], start: Int64, end: Int64, step: Int64, width: Int) -> [String] {
        guard !series.isEmpty else { return ["(no series)"] }
        let steps = Int(min(Int64(Int32.max), (end - start) / max(step, 1) + 1))
        let chartWidth = max(1, min(chartColumns(series, columns: width), steps))
        let labelWidth = max(0, width - chartWidth - 4 - 3 * statWidth - 2)
        var lines = [pad("", chartWidth) + "  " + ["min", "max", "last"].map { leftPad($0, statWidth) }.joined(separator: " ") + "  series"]
        for entry in series {
            let finite = entry.points.filter { $0.value.isFinite }
            let low = finite.map(\.value).min()
            let high = finite.map(\.value).max()
            let last = entry.points.last(where: { !StaleMarker.isStale($0.value) })?.value
            let stats = [low, high, last].map { leftPad($0.map(number) ?? "-", statWidth) }.joined(separator: " ")
            lines.append(
                sparkline(finite, start: start, end: end, width: chartWidth, low: low ?? 0, high: high ?? 0) + "  " + stats + "  "
                    + truncate(PromQLText.labels(entry.labels), labelWidth))
        }
        lines.append(contentsOf: axis(start: start, end: end, width: chartWidth))
        return lines
    }

    /// Columns for the chart on a terminal `columns` wide: what min/max/last and the labels
    /// (up to a third of the width) leave.
    static func chartColumns(_ series: [RangeSeries], columns: Int) -> Int {
        let longest = series.map { PromQLText.labels($0.labels).count }.max() ?? 0
        let labels = min(longest, max(minimumLabelWidth, columns / 3))
        return columns - 4 - 3 * statWidth - 2 - labels
    }

    /// One glyph per column; a column holding several points shows their maximum, so that a
    /// spike is never averaged away.
    static func sparkline(_ points: [Sample], start: Int64, end: Int64, width: Int, low: Double, high: Double) -> String {
        var columns = [Double?](repeating: nil, count: width)
        let span = Double(max(end - start, 1))
        for point in points {
            let column = min(width - 1, max(0, Int((Double(point.timestamp - start) / span * Double(width - 1)).rounded())))
            columns[column] = max(columns[column] ?? -.infinity, point.value)
        }
        return String(
            columns.map { value -> Character in
                guard let value else { return " " }
                guard high > low else { return levels[3] }
                return levels[min(7, max(0, Int(((value - low) / (high - low) * 7).rounded())))]
            })
    }

    /// A line of tick marks and a line of times under them, as many as fit without touching:
    /// `HH:MM` (with seconds when the range is under ten minutes, with the date when it spans
    /// more than a day), then the zone. The last time ends at the chart's right edge.
    static func axis(start: Int64, end: Int64, width: Int) -> [String] {
        let label: (Int64) -> [Character] = { time in
            let text = Array(GoTime.rfc3339(unixMilliseconds: time))
            if end - start > 86_400_000 { return Array(text[5..<10]) + [" "] + Array(text[11..<16]) }
            return Array(end - start < 600_000 ? text[11..<19] : text[11..<16])
        }
        let time: (Int) -> Int64 = { column in
            start + Int64((Double(end - start) * Double(column) / Double(max(width - 1, 1))).rounded())
        }
        var ticks = [Character](repeating: "─", count: width)
        let last = label(end)
        let lastAt = max(0, width - last.count)
        var times = [Character](repeating: " ", count: max(width, last.count))
        let count = max(1, min(6, width / (last.count + 2)))
        var free = 0
        for index in 0..<count {
            let column = index * (width - 1) / count
            let text = label(time(column))
            guard column >= free, column + text.count + 2 <= lastAt else { continue }
            ticks[column] = index == 0 ? "└" : "┴"
            times.replaceSubrange(column..<column + text.count, with: text)
            free = column + text.count + 2
        }
        ticks[width - 1] = width == 1 ? "│" : "┘"
        times.replaceSubrange(lastAt..<lastAt + last.count, with: last)
        return [String(ticks), String(times) + "  UTC"]
    }

    /// Four significant digits, with k/M/G/T above a thousand: `0.0123`, `12.35`, `1.235k`, `3.2G`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return PromQLText.value(value) }
        let magnitude = abs(value)
        for (limit, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= limit {
            return String(format: "%.4g", value / limit) + suffix
        }
        return String(format: "%.4g", value)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    private static func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }
}
