import Hummingbird
import Logging
import MetricStore

/// The Prometheus HTTP API on the agent: its routes, and what they read. Built by the agent
/// once the store and the reader pool exist.
public struct PrometheusAPI: Sendable {
    let runner: QueryRunner
    let snapshots: SnapshotSource
    let status: AgentStatus
    let externalLabels: @Sendable () -> [String: String]
    let now: @Sendable () -> Int64
    /// The rule groups as of their last evaluations (`/api/v1/rules`, `/api/v1/alerts`).
    let ruleGroups: @Sendable () -> [RuleGroupStatus]
    /// The log collectors' recent notable events (`/api/v1/events`).
    let events: @Sendable () -> [NotableLogEvent]

    public init(
        store: Store, readers: ReaderPool, settings: @escaping @Sendable () -> QuerySettings, snapshots: SnapshotSource,
        status: AgentStatus, externalLabels: @escaping @Sendable () -> [String: String], logger: Logger,
        now: (@Sendable () -> Int64)? = nil, rules: RuleScheduler? = nil, events: @escaping @Sendable () -> [NotableLogEvent] = { [] }
    ) {
        self.events = events
        runner = QueryRunner(store: store, pool: readers, admission: QueryAdmission(), settings: settings, logger: logger)
        self.snapshots = snapshots
        self.status = status
        self.externalLabels = externalLabels
        self.now = now ?? { UnixTime.nowMilliseconds() }
        ruleGroups = { rules?.groups ?? [] }
    }

    /// Prometheus answers GET and POST (form-encoded, as Grafana sends by default) on the
    /// query endpoints, GET only on the status ones.
    func routes() -> [AgentRoute] {
        let query = QueryEndpoints(runner: runner, now: now)
        let series = SeriesEndpoints(runner: runner)
        let status = StatusEndpoints(status: status, runner: runner)
        let metadata = MetadataEndpoint(snapshots: snapshots)
        let rules = RulesEndpoints(groups: ruleGroups)
        let events = EventsEndpoint(events: self.events)
        let federate = FederateEndpoint(runner: runner, now: now, externalLabels: externalLabels)
        let both: [HTTPRequest.Method] = [.get, .post]
        return [
            Self.route("/api/v1/query", both) { try await query.instant($0) },
            Self.route("/api/v1/query_range", both) { try await query.range($0) },
            Self.route("/api/v1/series", both) { try await series.series($0) },
            Self.route("/api/v1/labels", both) { try await series.labelNames($0) },
            Self.route("/api/v1/label/:name/values", both) { parameters, context in
                try await series.labelValues(context.parameters.get("name") ?? "", parameters)
            },
            Self.route("/api/v1/metadata", [.get]) { try metadata.respond($0) },
            Self.route("/api/v1/format_query", both) { try QueryTextEndpoints.formatQuery($0) },
            Self.route("/api/v1/query_exemplars", both) { try QueryTextEndpoints.queryExemplars($0) },
            Self.route("/api/v1/alerts", [.get]) { rules.alerts($0) },
            Self.route("/api/v1/rules", [.get]) { try rules.rules($0) },
            Self.route("/api/v1/events", [.get]) { try events.respond($0) },
            Self.route("/api/v1/status/buildinfo", [.get]) { _ in status.buildInfo() },
            Self.route("/api/v1/status/runtimeinfo", [.get]) { _ in status.runtimeInfo() },
            Self.route("/api/v1/status/flags", [.get]) { _ in status.flags() },
            Self.route("/api/v1/status/config", [.get]) { _ in status.config() },
            Self.route("/api/v1/status/tsdb", [.get]) { try await status.tsdb($0) },
            AgentRoute("/federate", [.get]) { request, _ in
                try await federate.respond(APIParameters(form: Self.form(request)))
            },
        ]
    }

    private static func route(
        _ path: String, _ methods: [HTTPRequest.Method], _ handler: @escaping @Sendable (APIParameters) async throws -> Response
    ) -> AgentRoute {
        route(path, methods) { parameters, _ in try await handler(parameters) }
    }

    /// A route whose refusals (`APIError`) are answered in the API's JSON.
    private static func route(
        _ path: String, _ methods: [HTTPRequest.Method],
        _ handler: @escaping @Sendable (APIParameters, AgentRequestContext) async throws -> Response
    ) -> AgentRoute {
        AgentRoute(path, methods) { request, context in
            do {
                return try await handler(APIParameters(form: form(request)), context)
            } catch let error as APIError {
                return APIResponse.error(error)
            }
        }
    }

    /// The query string's parameters, and a form-encoded body's before them. The body is read
    /// already (`RequestBodyLimitMiddleware`), so collecting it again costs nothing.
    static func form(_ request: Request) async throws(APIError) -> FormValues {
        var body: String?
        let isForm = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        if request.method == .post && isForm {
            do {
                let buffer = try await request.body.collect(upTo: HTTPLayer.maximumBodyBytes)
                body = String(buffer: buffer)
            } catch {
                throw APIError(.badData, "error parsing form values: \(error)")
            }
        }
        return try FormValues(query: request.uri.query, body: body)
    }
}
