import Logging
import NIOConcurrencyHelpers

@testable import ScaleAgent

/// The agent's HTTP server on a free port of 127.0.0.1, serving one fixed counter as its
/// metrics, with lifecycle actions that only record that they were called.
struct ServerUnderTest {
    let server: HTTPServer
    let requests: HTTPRequestCounter
    let connections: HTTPConnectionTable
    let port: Int
    /// What the lifecycle endpoints did: "reload", "quit".
    let actions: NIOLockedValueBox<[String]>

    static func start(
        web: WebSettings = WebSettings(), webConfig: WebConfig = .none, security: WebSecurityCounters = WebSecurityCounters(),
        reloadOutcome: Result<Void, any Error> = .success(())
    ) async throws -> ServerUnderTest {
        let source = SnapshotSource {
            var metrics = MetricsBuilder()
            metrics.counter("test_requests_total", "Requests.", 7)
            return metrics.build()
        }
        let actions = NIOLockedValueBox<[String]>([])
        let lifecycle = LifecycleActions(
            reload: {
                actions.withLockedValue { $0.append("reload") }
                return reloadOutcome
            },
            quit: { actions.withLockedValue { $0.append("quit") } })
        let requests = HTTPRequestCounter()
        let connections = HTTPConnectionTable(logger: Logger(label: "test"))
        let server = HTTPServer(
            endpoints: AgentEndpoints(snapshots: source, scrapeMaxAge: { .seconds(1) }, lifecycle: lifecycle),
            requests: requests, connections: connections, web: web, webConfig: webConfig, security: security,
            logger: Logger(label: "test"))
        try await server.listen(at: ListenAddress(host: "127.0.0.1", port: 0))
        return ServerUnderTest(server: server, requests: requests, connections: connections, port: server.localAddress!.port!, actions: actions)
    }

    /// Runs `body` with a server and stops it after, also when `body` throws.
    static func with(
        web: WebSettings = WebSettings(), webConfig: WebConfig = .none, security: WebSecurityCounters = WebSecurityCounters(),
        reloadOutcome: Result<Void, any Error> = .success(()), _ body: (ServerUnderTest) async throws -> Void
    ) async throws {
        let server = try await start(web: web, webConfig: webConfig, security: security, reloadOutcome: reloadOutcome)
        do {
            try await body(server)
        } catch {
            await server.server.stop(within: .seconds(1))
            throw error
        }
        await server.server.stop(within: .seconds(1))
    }

    /// `scalewatch_http_requests_total` as exposition lines.
    var requestCounts: [String] {
        var metrics = MetricsBuilder()
        requests.report(into: &metrics)
        let text = String(decoding: ExpositionRenderer.render(metrics.build(), as: .text), as: UTF8.self)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init).sorted()
    }
}
