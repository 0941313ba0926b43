import AlertEngine
import Logging
import MetricStore
import NIOHTTP1
import TestSupport

@testable import ScaleAgent

/// The agent's HTTP server with the Prometheus API over a real store in a fresh directory,
/// holding `up{job="a"|"b"}` and `requests_total{job="a"}` every 15 s from `start` for an hour.
struct APIServerUnderTest {
    let server: HTTPServer
    let store: Store
    let directory: TestDirectory
    let readers: ReaderPool
    /// Holds no groups until a test applies some; `/api/v1/rules` and `/api/v1/alerts` read it.
    let rules: RuleScheduler
    /// Kept in the test directory; its clock stands at `end`.
    let silences: SilenceStore
    let port: Int

    /// 2023-11-14T22:13:20Z.
    static let start: Int64 = 1_700_000_000_000
    static let end: Int64 = start + 3_600_000

    static func with(settings: QuerySettings = QuerySettings(), _ body: (APIServerUnderTest) async throws -> Void) async throws {
        let directory = TestDirectory(prefix: "api-test")
        let store = try Store.open(directory: directory.path)
        var batch: [(labels: Labels, sample: Sample)] = []
        for step in 0...240 {
            let time = start + Int64(step) * 15_000
            batch.append((Labels(["__name__": "up", "job": "a", "instance": "h:1"]), Sample(timestamp: time, value: 1)))
            batch.append((Labels(["__name__": "up", "job": "b", "instance": "h:2"]), Sample(timestamp: time, value: 0)))
            batch.append(
                (Labels(["__name__": "requests_total", "job": "a"]), Sample(timestamp: time, value: Double(step * 30))))
        }
        store.append(batch)
        let readers = ReaderPool(threads: 2, maxQueued: 16)
        let snapshots = SnapshotSource {
            var metrics = MetricsBuilder()
            metrics.counter("requests_total", "Requests served.", 7)
            metrics.gauge("up", "Whether the target is up.", 1)
            return metrics.build()
        }
        _ = await snapshots.refresh()
        let status = AgentStatus(
            runtime: {
                AgentStatus.Runtime(
                    startTimeMilliseconds: start, reloadConfigSuccess: true, lastConfigTimeMilliseconds: start + 500,
                    storageRetention: "15d", workingDirectory: "/")
            },
            flags: { [("query.timeout", "30s"), ("storage.tsdb.path", "/data")] },
            configText: { "listen_address: 127.0.0.1:0\n" })
        let rules = RuleScheduler(store: store, logger: Logger(label: "test"))
        let api = PrometheusAPI(
            store: store, readers: readers, settings: { settings }, snapshots: snapshots, status: status,
            externalLabels: { ["site": "x"] }, logger: Logger(label: "test"), now: { end },
            rules: rules)
        let lifecycle = LifecycleActions(reload: { .success(()) }, quit: {})
        let silences = SilenceStore(directory: directory.path, logger: Logger(label: "test"), now: { end })
        let server = HTTPServer(
            endpoints: AgentEndpoints(snapshots: snapshots, scrapeMaxAge: { .seconds(1) }, lifecycle: lifecycle, api: api, silences: silences,
                notifiedAlerts: notifiedAlerts(rules: rules, silences: silences)),
            requests: HTTPRequestCounter(), connections: HTTPConnectionTable(logger: Logger(label: "test")), web: WebSettings(),
            logger: Logger(label: "test"))
        try await server.listen(at: ListenAddress(host: "127.0.0.1", port: 0))
        let running = APIServerUnderTest(
            server: server, store: store, directory: directory, readers: readers, rules: rules, silences: silences, port: server.localAddress!.port!)
        var failure: (any Error)?
        do {
            try await body(running)
        } catch {
            failure = error
        }
        await server.stop(within: .seconds(1))
        await readers.shutdown()
        store.close()
        directory.remove()
        if let failure { throw failure }
    }

    /// `/api/v2/alerts` as the notifier decides it, without routes (no receivers) or inhibit rules.
    private static func notifiedAlerts(rules: RuleScheduler, silences: SilenceStore) -> AlertmanagerAlertsEndpoint {
        AlertmanagerAlertsEndpoint(
            alerts: { now in
                let converted = rules.alerts.compactMap { NotificationAlert($0, externalLabels: .empty, externalURL: "http://h") }
                let suppressions = AlertSuppression.of(converted, silences: silences.current, inhibitRules: [], now: now)
                return zip(converted, suppressions).map { ($0, [], $1) }
            }, now: { end })
    }

    func get(_ uri: String) async throws -> TestHTTPResponse {
        try await TestHTTPConnection.send(.GET, port: port, uri)
    }

    func send(_ method: HTTPMethod, _ uri: String, json: String? = nil) async throws -> TestHTTPResponse {
        try await TestHTTPConnection.send(
            method, port: port, uri, headers: json == nil ? [:] : ["Content-Type": "application/json"],
            body: json.map { .init(string: $0) })
    }

    func post(_ uri: String, form: String) async throws -> TestHTTPResponse {
        try await TestHTTPConnection.send(
            .POST, port: port, uri, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: .init(string: form))
    }
}
