import Hummingbird

/// One endpoint of the agent: its path, the methods it answers and its handler.
struct AgentRoute: Sendable {
    typealias Handler = @Sendable (Request, AgentRequestContext) async throws -> Response

    let path: String
    let methods: [HTTPRequest.Method]
    let handler: Handler

    init(_ path: String, _ methods: [HTTPRequest.Method], handler: @escaping Handler) {
        self.path = path
        self.methods = methods
        self.handler = handler
    }

    /// The methods as `Allow` lists them: HEAD is answered wherever GET is (the router sends
    /// GET's headers without its body).
    var answeredMethods: [HTTPRequest.Method] {
        methods.contains(.get) && !methods.contains(.head) ? methods + [.head] : methods
    }
}

/// What the agent's endpoints read and call, and the route table made from it. The table is
/// the one list of paths and methods: the router and the `Allow` headers are both made from it.
public struct AgentEndpoints: Sendable {
    let snapshots: SnapshotSource
    /// Read per request so that a config reload takes effect at once.
    let scrapeMaxAge: @Sendable () -> Duration
    let lifecycle: LifecycleActions
    /// The Prometheus HTTP API (`/api/v1/…`, `/federate`); nil serves none of it.
    let api: PrometheusAPI?
    /// Alertmanager's silence API (`/api/v2/silences`); nil serves none of it.
    let silences: SilenceStore?
    /// `/api/v2/alerts`: the alerts the notifier would send, with their suppression, at a time.
    let notifiedAlerts: AlertmanagerAlertsEndpoint?
    /// `/api/v1/checkins/…`: where jobs report their runs; nil serves none of it.
    let checkIns: CheckInEndpoints?

    init(
        snapshots: SnapshotSource, scrapeMaxAge: @escaping @Sendable () -> Duration, lifecycle: LifecycleActions,
        api: PrometheusAPI? = nil, silences: SilenceStore? = nil, notifiedAlerts: AlertmanagerAlertsEndpoint? = nil,
        checkIns: CheckInEndpoints? = nil
    ) {
        self.checkIns = checkIns
        self.silences = silences
        self.notifiedAlerts = notifiedAlerts
        self.snapshots = snapshots
        self.scrapeMaxAge = scrapeMaxAge
        self.lifecycle = lifecycle
        self.api = api
    }

    func routes(web: WebSettings) -> [AgentRoute] {
        let metrics = MetricsEndpoint(snapshots: snapshots, scrapeMaxAge: scrapeMaxAge)
        let lifecycle = LifecycleEndpoints(enabled: web.enableLifecycle, actions: lifecycle)
        let snapshots = self.snapshots
        let home: AgentRoute.Handler = api?.statusPage() ?? { @Sendable _, _ in LandingPage.response }
        return [
            AgentRoute("/metrics", [.get]) { request, _ in await metrics.respond(to: request) },
            AgentRoute("/-/healthy", [.get]) { _, _ in .text(.ok, "scalewatch is Healthy.\n") },
            AgentRoute("/-/ready", [.get]) { _, _ in
                snapshots.latest != nil
                    ? .text(.ok, "scalewatch is Ready.\n") : .text(.serviceUnavailable, "scalewatch is not ready yet.\n")
            },
            AgentRoute("/", [.get], handler: home),
            AgentRoute("/runbooks/:name", [.get]) { _, context in RunbookEndpoint.respond(name: context.parameters.get("name") ?? "") },
            AgentRoute("/-/reload", [.post, .put]) { _, _ in try await lifecycle.reload() },
            AgentRoute("/-/quit", [.post, .put]) { _, _ in try lifecycle.quit() },
        ] + (api?.routes() ?? []) + (api?.pictureRoutes() ?? []) + (silences.map { SilencesEndpoints(store: $0).routes() } ?? [])
            + (notifiedAlerts.map { endpoint in [AgentRoute("/api/v2/alerts", [.get]) { _, _ in endpoint.respond() }] } ?? [])
            + (checkIns?.routes() ?? [])
    }
}
