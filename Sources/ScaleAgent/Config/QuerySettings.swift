import AlertEngine
import Yams

/// PromQL's window-start rule under the name the executable sees (it imports only ScaleAgent).
public typealias QueryWindowStart = WindowStart

/// The `query:` section of `agent.yml`: what one caller of the HTTP API may cost the agent.
/// Every query runs on the reader pool, never where collection or `/metrics` run; these bound
/// how much of the pool, memory and time a query may take there.
public struct QuerySettings: Sendable, Equatable {
    /// The most samples one query may load from the store (Prometheus' `--query.max-samples`).
    /// Prometheus' 50 M is sized for a server holding millions of series; an agent holds tens of
    /// thousands, and 5 M samples (about 80 MB while evaluated) is a month of one 10 s series
    /// per 20 series, far beyond any dashboard's need.
    public var maxSamples = 5_000_000
    /// How long one query may run before it is answered 503 `timeout` (`--query.timeout`).
    public var timeout: Duration = .seconds(30)
    /// Queries evaluated at once; more wait in a queue of `maxQueued` (`--query.max-concurrency`).
    public var maxConcurrency = 4
    /// Queries waiting for a slot; beyond it a query is refused at once with 503 `unavailable`.
    public var maxQueued = 32
    /// The most series (or names, or values) one `series`, `labels` or `label/…/values` call
    /// returns; beyond it the answer is truncated with Prometheus' warning.
    public var maxSeries = 100_000
    /// How far back an instant selector looks for a sample (`--query.lookback-delta`).
    public var lookbackDelta: Duration = .seconds(300)
    /// Queries that take longer are logged with their parameters and duration; nil: none.
    public var logSlowQueriesOver: Duration? = nil
    /// Whether a range window and the lookback include a sample exactly at their start:
    /// Prometheus 3 excludes it (the default), Prometheus 2 included it. `included` lets rule
    /// tests and dashboards written against Prometheus 2 give the same answers.
    public var windowStart: WindowStart = .excluded

    public init() {}

    static let keys = [
        "max_samples", "timeout", "max_concurrency", "max_queued", "max_series", "lookback_delta", "log_slow_queries_over", "window_start",
    ]

    static func parse(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> QuerySettings {
        var settings = QuerySettings()
        for (key, _, value) in try reader.mapping(node, in: "query", allowed: keys) {
            let qualified = "query.\(key)"
            switch key {
            case "max_samples": settings.maxSamples = try reader.integer(value, qualified, in: 1_000...1_000_000_000)
            case "timeout": settings.timeout = try reader.duration(value, qualified, in: .milliseconds(10) ... .seconds(3_600))
            case "max_concurrency": settings.maxConcurrency = try reader.integer(value, qualified, in: 1...256)
            case "max_queued": settings.maxQueued = try reader.integer(value, qualified, in: 0...10_000)
            case "max_series": settings.maxSeries = try reader.integer(value, qualified, in: 1...100_000_000)
            case "lookback_delta":
                settings.lookbackDelta = try reader.duration(value, qualified, in: .seconds(1) ... .seconds(7 * 86_400))
            case "log_slow_queries_over":
                settings.logSlowQueriesOver = try reader.duration(value, qualified, in: .zero ... .seconds(86_400))
            case "window_start":
                guard let parsed = Self.windowStart(parsing: try reader.string(value, qualified)) else {
                    throw reader.error(at: value, "\(qualified): expected excluded (Prometheus 3) or included (Prometheus 2), got \(reader.describe(value))")
                }
                settings.windowStart = parsed
            default: preconditionFailure("BUG: key \(qualified) allowed but not handled")
            }
        }
        return settings
    }

    /// `excluded` or `included`, as the config key and the `--query.window-start` flags take it.
    public static func windowStart(parsing text: String) -> WindowStart? {
        switch text {
        case "excluded": .excluded
        case "included": .included
        default: nil
        }
    }

    public static func name(_ windowStart: WindowStart) -> String {
        windowStart == .excluded ? "excluded" : "included"
    }
}
