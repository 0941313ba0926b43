import Logging
import MetricStore
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

@testable import ScaleAgent

/// The check-in endpoints on the agent's HTTP server, over a socket.
@Suite struct CheckInEndpointsTests {
    static func withServer(_ body: (Int, CheckInStore) async throws -> Void) async throws {
        let directory = TestDirectory(prefix: "checkins")
        defer { directory.remove() }
        let store = CheckInStore(directory: directory.path, logger: Logger(label: "test"), now: { 1_765_000_000 })
        let settings = CheckInSettings(jobs: [CheckInJob(name: "backup", schedule: .period(3_600), grace: 60)])
        store.register(settings.jobs)
        let endpoints = AgentEndpoints(
            snapshots: SnapshotSource { MetricsBuilder().build() }, scrapeMaxAge: { .seconds(1) },
            lifecycle: LifecycleActions(reload: { .success(()) }, quit: {}),
            checkIns: CheckInEndpoints(store: store, settings: { settings }))
        let server = HTTPServer(
            endpoints: endpoints, requests: HTTPRequestCounter(), connections: HTTPConnectionTable(logger: Logger(label: "test")),
            web: WebSettings(), webConfig: .none, security: WebSecurityCounters(), logger: Logger(label: "test"))
        try await server.listen(at: ListenAddress(host: "127.0.0.1", port: 0))
        do {
            try await body(server.localAddress!.port!, store)
        } catch {
            await server.stop(within: .seconds(1))
            throw error
        }
        await server.stop(within: .seconds(1))
    }

    @Test func aRunReportedWithStartAndSuccess() async throws {
        try await Self.withServer { port, store in
            let start = try await TestHTTPConnection.send(.POST, port: port, "/api/v1/checkins/backup/start")
            #expect(start.status == .ok)
            #expect(start.headers.first(name: "Content-Type") == "application/json")
            let success = try await TestHTTPConnection.send(.GET, port: port, "/api/v1/checkins/backup")
            #expect(
                success.text
                    == #"{"status":"success","data":{"job":"backup","lastStart":1765000000,"lastSuccess":1765000000,"deadline":1765003660,"lastDuration":0,"starts":1,"successes":1,"failures":0}}"#
            )
            #expect(store.current["backup"]?.successes == 1)
            let list = try await TestHTTPConnection.send(.GET, port: port, "/api/v1/checkins")
            #expect(
                list.text
                    == #"{"status":"success","data":[{"job":"backup","lastStart":1765000000,"lastSuccess":1765000000,"deadline":1765003660,"lastDuration":0,"starts":1,"successes":1,"failures":0}]}"#
            )
            #expect(store.current["backup"]?.successes == 1)
        }
    }

    @Test func aFailureKeepsTheBodysFirstBytesAsTheMessage() async throws {
        try await Self.withServer { port, store in
            let body = "pg_dump: error: connection refused\n" + String(repeating: "é", count: 1_000)
            let response = try await TestHTTPConnection.send(.POST, port: port, "/api/v1/checkins/backup/fail", body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let message = try #require(store.current["backup"]?.lastMessage)
            #expect(message.hasPrefix("pg_dump: error: connection refused\n"))
            // Cut at a character boundary at or before the limit.
            #expect(message.utf8.count == 1_023 && message.hasSuffix("é"))
            #expect(store.current["backup"]?.failures == 1)
        }
    }

    @Test(arguments: [
        (HTTPMethod.GET, "/api/v1/checkins/nightly", HTTPResponseStatus.notFound,
         #"{"status":"error","errorType":"not_found","error":"no check-in job named \"nightly\" in the config (checkins.jobs)"}"#),
        (.POST, "/api/v1/checkins/backup/finish", .notFound,
         #"{"status":"error","errorType":"not_found","error":"unknown check-in event \"finish\"; expected start or fail (or none for success)"}"#),
    ])
    func refusals(_ method: HTTPMethod, _ uri: String, _ status: HTTPResponseStatus, _ body: String) async throws {
        try await Self.withServer { port, store in
            let response = try await TestHTTPConnection.send(method, port: port, uri)
            #expect(response.status == status)
            #expect(response.text == body)
            #expect(store.current["backup"]?.successes == 0)
        }
    }

    /// The method check (405 with Allow) knows only literal paths; for a parameterized one the
    /// router answers 404. Either way nothing is recorded.
    @Test func otherMethodsRecordNothing() async throws {
        try await Self.withServer { port, store in
            let response = try await TestHTTPConnection.send(.DELETE, port: port, "/api/v1/checkins/backup")
            #expect(response.status == .notFound)
            #expect(store.current["backup"]?.successes == 0)
        }
    }
}
