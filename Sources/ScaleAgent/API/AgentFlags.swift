import AlertEngine
import Glibc

/// `/api/v1/status/flags`: the settings in force, under Prometheus' flag names where one means
/// the same (`query.timeout`, `storage.tsdb.path`…) and the agent's own otherwise; sorted.
enum AgentFlags {
    static func list(_ config: AgentConfig, configFile: String?) -> [(String, String)] {
        let query = config.query
        let flags: [(String, String)] = [
            ("config.file", configFile ?? ""),
            ("web.listen-address", "\(config.listenAddress)"),
            ("web.enable-lifecycle", "\(config.web.enableLifecycle)"),
            ("web.max-connections", "\(config.web.maxConnections)"),
            ("storage.tsdb.path", config.dataDirectory),
            ("storage.tsdb.retention.time", duration(config.storage.retentionTime)),
            ("storage.tsdb.retention.size", config.storage.retentionSize.map { "\($0)B" } ?? "0B"),
            ("query.lookback-delta", duration(query.lookbackDelta)),
            ("query.max-samples", "\(query.maxSamples)"),
            ("query.timeout", duration(query.timeout)),
            ("query.max-concurrency", "\(query.maxConcurrency)"),
            ("query.max-queued", "\(query.maxQueued)"),
            ("query.max-series", "\(query.maxSeries)"),
            ("query.window-start", QuerySettings.name(query.windowStart)),
            ("rules.evaluation-interval", duration(config.rules.evaluationInterval)),
            ("collection.interval", duration(config.collectionInterval)),
        ]
        return flags.sorted { $0.0 < $1.0 }
    }

    private static func duration(_ value: Duration) -> String {
        PrometheusDuration.format(milliseconds: value.milliseconds)
    }

    /// The process' working directory, as Prometheus' runtime info reports it.
    static var workingDirectory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
