import AlertEngine
import Hummingbird
import MetricStore

/// `GET /graph?expr=…[&range=1h][&step=…][&end=…]`: any expression drawn as an SVG chart over
/// the range ending at `end` (default now). The query is evaluated like `/api/v1/query_range`
/// (the same runner: admitted, on the reader pool, within the query limits), and so is the
/// drawing. Whatever goes wrong comes back as a small SVG that says it in Prometheus' words,
/// with the status the API would answer, so that an `<img>` shows the reason.
struct GraphEndpoint: Sendable {
    let runner: QueryRunner
    let now: @Sendable () -> Int64

    static let contentType = "image/svg+xml; charset=utf-8"
    /// The page and its pictures load nothing and run nothing: even a label value that got
    /// past the escaping could not fetch or execute anything.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"
    static let defaultRange: Int64 = 3_600_000
    /// Points per series when no step is given: enough for a smooth line 800 pixels wide.
    static let defaultPoints: Int64 = 240

    func respond(_ parameters: APIParameters) async -> Response {
        do {
            let chart = try await chart(parameters, width: 800, height: 300, maxSeries: 12)
            return Self.svg(.ok, SVGChartRenderer.svg(chart))
        } catch {
            return Self.svg(error.kind.status, SVGChartRenderer.message(title: "Cannot draw this graph", text: error.description))
        }
    }

    /// The chart of `expr` as `/graph` reads its parameters.
    func chart(_ parameters: APIParameters, width: Int, height: Int, maxSeries: Int) async throws(APIError) -> Chart {
        let text = parameters.value("expr")
        guard !text.isEmpty else { throw .invalidParameter("expr", "an expression to draw is required, e.g. /graph?expr=up") }
        let range = try Self.duration(parameters, "range", default: Self.defaultRange)
        guard range > 0 else { throw .invalidParameter("range", "the range must be positive") }
        let end = try parameters.time("end", default: now())
        let step = try Self.duration(parameters, "step", default: Self.defaultStep(range: range))
        guard step > 0 else {
            throw .invalidParameter("step", "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard range / step <= 11_000 else {
            throw APIError(
                .badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let (start, overflow) = end.subtractingReportingOverflow(range)
        guard !overflow else { throw .invalidParameter("range", "the range reaches before the earliest time") }
        let expr = try QueryEndpoints.parse(text)
        guard expr.type == .scalar || expr.type == .instantVector else {
            throw .invalidParameter(
                "expr", "invalid expression type \(JSONWriter.quoted(expr.type.rawValue)) for range query, must be Scalar or instant Vector")
        }
        let query = RangeQuery(expr: expr, start: start, end: end, step: step)
        let series = try await runner.run(describe: { ["graph": "\(text)"] }) { budget, settings in
            try query.run(budget, settings)
        }
        return Chart(
            title: text, series: series.map { Chart.Series(label: Chart.legend($0.labels), points: $0.points) }, start: start,
            end: end, step: step, unit: ChartUnit.guess(text), width: width, height: height, maxSeries: maxSeries)
    }

    /// A step that gives about `defaultPoints` points, in whole seconds.
    static func defaultStep(range: Int64) -> Int64 {
        max(1000, (range / defaultPoints + 999) / 1000 * 1000)
    }

    static func svg(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType, .contentSecurityPolicy: contentSecurityPolicy, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private static func duration(_ parameters: APIParameters, _ name: String, default value: Int64) throws(APIError) -> Int64 {
        parameters.value(name).isEmpty ? value : try parameters.duration(name)
    }
}
