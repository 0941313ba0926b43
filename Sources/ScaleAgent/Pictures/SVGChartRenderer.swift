import MetricStore

/// Draws a `Chart` as SVG text: a pure function of the chart (no clock, no locale, no I/O), so
/// that its output can be compared with golden files byte for byte.
///
/// The picture, top to bottom: the title; the plot with horizontal grid lines at the value
/// ticks (labelled on the left in the unit's scale) and vertical ones at the time ticks
/// (labelled below, in UTC); a legend with one line per series drawn (its colour, its labels,
/// its last value), and "N more series not shown" when the chart's cap left some out. A series
/// is broken where its points are more than a step and a half apart (the series was absent)
/// or where a value is not finite. Every text that came from data is escaped (`HTMLText`).
enum SVGChartRenderer {
    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#393b79", "#637939",
    ]
    static let font = #"font-family="sans-serif" font-size="11""#
    private static let margin = (left: 64, right: 16, top: 26, bottom: 34)
    private static let legendLine = 16

    static func svg(_ chart: Chart) -> String {
        let drawn = Array(chart.series.prefix(max(0, chart.maxSeries)))
        let hidden = chart.series.count - drawn.count
        let legendLines = drawn.count + (hidden > 0 ? 1 : 0)
        let width = max(200, chart.width)
        let height = max(120, chart.height)
        let totalHeight = height + (legendLines > 0 ? legendLines * legendLine + 6 : 0)
        let plot = (x0: Double(margin.left), x1: Double(width - margin.right), y0: Double(margin.top), y1: Double(height - margin.bottom))

        var svg = Self.open(width: width, height: totalHeight, title: chart.title)
        svg += #"<text x="\#(margin.left)" y="16" font-weight="bold">\#(HTMLText.escape(clipped(chart.title, to: width - margin.left)))</text>"# + "\n"

        let finite = drawn.flatMap { $0.points.lazy.map(\.value).filter(\.isFinite) }
        let axis = ValueAxis(
            minimum: finite.min() ?? 0, maximum: finite.max() ?? 1, unit: chart.unit,
            targetTicks: max(2, Int(plot.y1 - plot.y0) / 40))
        let y = { (value: Double) -> Double in
            axis.high == axis.low ? plot.y1 : plot.y1 - (value - axis.low) / (axis.high - axis.low) * (plot.y1 - plot.y0)
        }
        // In Double, so that no time, however far out, overflows.
        let span = max(1, Double(chart.end) - Double(chart.start))
        let x = { (time: Int64) -> Double in
            min(plot.x1, max(plot.x0, plot.x0 + (Double(time) - Double(chart.start)) / span * (plot.x1 - plot.x0)))
        }

        svg += #"<g stroke='#e0e0e0' stroke-width="1">"# + "\n"
        for tick in axis.ticks {
            svg += #"<line x1="\#(n(plot.x0))" y1="\#(n(y(tick)))" x2="\#(n(plot.x1))" y2="\#(n(y(tick)))"/>"# + "\n"
        }
        let time = TimeAxis(start: chart.start, end: chart.end, maxTicks: max(2, Int(plot.x1 - plot.x0) / 90))
        for tick in time.ticks {
            svg += #"<line x1="\#(n(x(tick)))" y1="\#(n(plot.y0))" x2="\#(n(x(tick)))" y2="\#(n(plot.y1))"/>"# + "\n"
        }
        svg += "</g>\n"
        svg += #"<rect x="\#(n(plot.x0))" y="\#(n(plot.y0))" width="\#(n(plot.x1 - plot.x0))" height="\#(n(plot.y1 - plot.y0))" fill="none" stroke='#999'/>"# + "\n"

        svg += #"<g \#(font) fill='#333' text-anchor="end">"# + "\n"
        for (tick, label) in zip(axis.ticks, axis.labels) {
            svg += #"<text x="\#(margin.left - 4)" y="\#(n(y(tick) + 4))">\#(HTMLText.escape(label))</text>"# + "\n"
        }
        svg += "</g>\n"
        svg += #"<g \#(font) fill='#333' text-anchor="middle">"# + "\n"
        for (tick, label) in zip(time.ticks, time.labels) {
            svg += #"<text x="\#(n(x(tick)))" y="\#(n(plot.y1 + 14))">\#(label)</text>"# + "\n"
        }
        svg += "</g>\n"
        svg += #"<text x="\#(n(plot.x1))" y="\#(n(plot.y1 + 28))" \#(font) fill='#666' text-anchor="end">UTC</text>"# + "\n"

        if drawn.allSatisfy({ $0.points.isEmpty }) {
            svg += #"<text x="\#(n((plot.x0 + plot.x1) / 2))" y="\#(n((plot.y0 + plot.y1) / 2))" \#(font) fill='#666' text-anchor="middle">no data</text>"# + "\n"
        }
        for (index, series) in drawn.enumerated() {
            let color = palette[index % palette.count]
            svg += #"<path d="\#(path(series.points, step: chart.step, x: x, y: y))" fill="none" stroke="\#(color)" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round">"#
            svg += "<title>" + HTMLText.escape(series.label) + "</title></path>\n"
        }

        var lineY = height + 6
        let characters = (width - margin.left - 20) / 6
        for (index, series) in drawn.enumerated() {
            let color = palette[index % palette.count]
            let last = series.points.last.map { " \u{2014} last " + chart.unit.format($0.value) } ?? " \u{2014} no data"
            svg += #"<rect x="\#(margin.left)" y="\#(lineY + 2)" width="10" height="10" fill="\#(color)"/>"#
            svg += #"<text x="\#(margin.left + 16)" y="\#(lineY + 11)" \#(font) fill='#222'>"#
            svg += HTMLText.escape(clipped(series.label + last, to: characters * 6)) + "</text>\n"
            lineY += legendLine
        }
        if hidden > 0 {
            svg += #"<text x="\#(margin.left + 16)" y="\#(lineY + 11)" \#(font) fill='#666'>"#
            svg += "\(hidden) more series not shown</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A chart-sized message in place of a chart: what was wrong with the request or the
    /// query, in Prometheus' words.
    static func message(title: String, text: String, width: Int = 800) -> String {
        let characters = max(20, (width - 24) / 7)
        let lines = wrapped(text, width: characters).prefix(12)
        let height = 44 + lines.count * 16
        var svg = Self.open(width: width, height: height, title: title)
        svg += #"<rect x="0.5" y="0.5" width="\#(width - 1)" height="\#(height - 1)" fill='#fff4f4' stroke='#d62728'/>"# + "\n"
        svg += #"<text x="12" y="20" \#(font) font-weight="bold" fill='#a00'>\#(HTMLText.escape(clipped(title, to: width - 24)))</text>"# + "\n"
        for (index, line) in lines.enumerated() {
            svg += #"<text x="12" y="\#(40 + index * 16)" \#(font) fill='#222'>\#(HTMLText.escape(line))</text>"# + "\n"
        }
        return svg + "</svg>\n"
    }

    private static func open(width: Int, height: Int, title: String) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" role="img" \#(font)>"#
            + "\n<title>" + HTMLText.escape(title) + "</title>\n"
            + #"<rect width="100%" height="100%" fill='#fff'/>"# + "\n"
    }

    /// `M x y L x y …`, a new `M` after every gap; a lone point is a dot (a zero-length line
    /// with round caps).
    private static func path(_ points: [Sample], step: Int64, x: (Int64) -> Double, y: (Double) -> Double) -> String {
        var d = ""
        var previous: Int64?
        var segmentLength = 0
        for point in points {
            guard point.value.isFinite else {
                previous = nil
                continue
            }
            let joined = previous.map { step <= 0 || Double(point.timestamp) - Double($0) <= Double(step) * 1.5 } ?? false
            if !joined {
                if segmentLength == 1 { d += "h0" }
                segmentLength = 0
            }
            d += (d.isEmpty ? "" : " ") + (joined ? "L" : "M") + n(x(point.timestamp)) + " " + n(y(point.value))
            segmentLength += 1
            previous = point.timestamp
        }
        if segmentLength == 1 { d += "h0" }
        return d.isEmpty ? "M0 0" : d
    }

    /// One decimal, no exponent, no negative zero: stable across platforms.
    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        // Coordinates stay on the page; anything else is clamped rather than converted (an
        // out-of-range Double to Int would trap).
        let value = min(1e9, max(-1e9, value))
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        return sign + "\(magnitude / 10)" + (magnitude % 10 == 0 ? "" : ".\(magnitude % 10)")
    }

    /// Text cut to about `pixels` wide at 6 pixels a character, marked with an ellipsis.
    static func clipped(_ text: String, to pixels: Int) -> String {
        let characters = max(4, pixels / 6)
        return text.count <= characters ? text : String(text.prefix(characters - 1)) + "\u{2026}"
    }

    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                var word = Substring(word)
                while word.count > width {
                    if !line.isEmpty { lines.append(line); line = "" }
                    lines.append(String(word.prefix(width)))
                    word = word.dropFirst(width)
                }
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            lines.append(line)
        }
        return lines
    }
}
