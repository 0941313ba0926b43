import Hummingbird
import MetricStore
import NIOCore

/// What `/api/v1/status/*` reports about the running agent, gathered by the agent.
public struct AgentStatus: Sendable {
    /// `status/runtimeinfo`: when the agent started and how its last reload went.
    public struct Runtime: Sendable {
        public var startTimeMilliseconds: Int64
        public var reloadConfigSuccess: Bool
        public var lastConfigTimeMilliseconds: Int64
        public var storageRetention: String
        public var workingDirectory: String

        public init(
            startTimeMilliseconds: Int64, reloadConfigSuccess: Bool, lastConfigTimeMilliseconds: Int64, storageRetention: String,
            workingDirectory: String
        ) {
            self.startTimeMilliseconds = startTimeMilliseconds
            self.reloadConfigSuccess = reloadConfigSuccess
            self.lastConfigTimeMilliseconds = lastConfigTimeMilliseconds
            self.storageRetention = storageRetention
            self.workingDirectory = workingDirectory
        }
    }

    let runtime: @Sendable () -> Runtime
    /// `status/flags`: the settings in force under the names of Prometheus' flags where one exists.
    let flags: @Sendable () -> [(String, String)]
    /// `status/config`: the config file's text (empty when the agent runs on its defaults).
    let configText: @Sendable () -> String

    public init(
        runtime: @escaping @Sendable () -> Runtime, flags: @escaping @Sendable () -> [(String, String)],
        configText: @escaping @Sendable () -> String
    ) {
        self.runtime = runtime
        self.flags = flags
        self.configText = configText
    }
}

/// `/api/v1/status/{buildinfo,runtimeinfo,flags,config,tsdb}` in Prometheus' shapes, with the
/// agent's values; Go-only fields (`goVersion`, `GOGC`…) carry what corresponds, or are empty.
struct StatusEndpoints: Sendable {
    let status: AgentStatus
    let runner: QueryRunner

    func buildInfo() -> Response {
        APIResponse.success { json in
            Self.object(
                [
                    ("version", ScaleAgentVersion.current), ("revision", ""), ("branch", ""), ("buildUser", ""),
                    ("buildDate", ""), ("goVersion", ""),
                ], &json)
        }
    }

    func runtimeInfo() -> Response {
        let runtime = status.runtime()
        return APIResponse.success { json in
            json.beginObject()
            json.key("startTime")
            json.string(RFC3339Format.string(milliseconds: runtime.startTimeMilliseconds))
            json.key("CWD")
            json.string(runtime.workingDirectory)
            json.key("reloadConfigSuccess")
            json.bool(runtime.reloadConfigSuccess)
            json.key("lastConfigTime")
            json.string(RFC3339Format.string(milliseconds: runtime.lastConfigTimeMilliseconds))
            json.key("corruptionCount")
            json.integer(0)
            json.key("goroutineCount")
            json.integer(0)
            json.key("GOMAXPROCS")
            json.integer(System.coreCount)
            json.key("GOGC")
            json.string("")
            json.key("GODEBUG")
            json.string("")
            json.key("storageRetention")
            json.string(runtime.storageRetention)
            json.endObject()
        }
    }

    func flags() -> Response {
        let flags = status.flags()
        return APIResponse.success { Self.object(flags, &$0) }
    }

    func config() -> Response {
        let text = status.configText()
        return APIResponse.success { Self.object([("yaml", text)], &$0) }
    }

    /// The head's cardinality, as Prometheus reports its head's: the top 10 of each list.
    func tsdb(_ parameters: APIParameters) async throws(APIError) -> Response {
        let limitText = parameters.value("limit")
        let limit = limitText.isEmpty ? 10 : Int(limitText) ?? 0
        guard limit > 0 else { throw APIError(.badData, "limit must be a positive number") }
        let store = runner.store
        let cardinality = try await runner.run(describe: { ["endpoint": "status/tsdb"] }) { budget, _ in
            try TSDBCardinality(head: store.head, budget: budget, limit: limit)
        }
        return APIResponse.success { json in
            json.beginObject()
            json.key("headStats")
            json.beginObject()
            json.key("numSeries")
            json.integer(cardinality.stats.series)
            json.key("numLabelPairs")
            json.integer(cardinality.labelPairs)
            json.key("chunkCount")
            json.integer(cardinality.stats.chunks)
            json.key("minTime")
            json.integer(cardinality.stats.minTime ?? Int64.max)
            json.key("maxTime")
            json.integer(cardinality.stats.maxTime ?? Int64.min)
            json.endObject()
            for (key, list) in [
                ("seriesCountByMetricName", cardinality.seriesByMetricName),
                ("labelValueCountByLabelName", cardinality.valuesByLabelName),
                ("memoryInBytesByLabelName", cardinality.bytesByLabelName),
                ("seriesCountByLabelValuePair", cardinality.seriesByLabelPair),
            ] {
                json.key(key)
                json.beginArray()
                for (name, value) in list {
                    json.beginObject()
                    json.key("name")
                    json.string(name)
                    json.key("value")
                    json.integer(value)
                    json.endObject()
                }
                json.endArray()
            }
            json.endObject()
        }
    }

    private static func object(_ members: [(String, String)], _ json: inout JSONWriter) {
        json.beginObject()
        for (key, value) in members {
            json.key(key)
            json.string(value)
        }
        json.endObject()
    }
}
