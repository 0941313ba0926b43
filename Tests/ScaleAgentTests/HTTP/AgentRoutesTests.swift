import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import ScaleAgent

@Suite struct AgentRoutesTests {
    let routes: AgentRoutes = {
        let source = SnapshotSource {
            var metrics = MetricsBuilder()
            metrics.counter("test_requests_total", "Requests.", 7)
            return metrics.build()
        }
        return AgentRoutes(snapshots: source, requests: HTTPRequestCounter()) { .seconds(1) }
    }()

    private func get(_ uri: String, method: HTTPMethod = .GET, headers: HTTPHeaders = [:]) async throws -> HTTPResponse {
        // A real event loop: a stale snapshot is collected on a task whose result completes
        // the future from another thread, which an EmbeddedEventLoop does not allow.
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
        return try await loop.flatSubmit { routes.respond(to: head, on: loop) }.get()
    }

    @Test func metricsInTextFormatByDefault() async throws {
        let response = try await get("/metrics")
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(String(buffer: response.body).contains("test_requests_total 7\n"))
    }

    @Test func metricsInOpenMetricsWhenAsked() async throws {
        let response = try await get("/metrics", headers: ["Accept": "application/openmetrics-text; version=1.0.0"])
        #expect(response.headers.first(name: "Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(String(buffer: response.body).hasSuffix("# EOF\n"))
    }

    @Test func gzipWhenAccepted() async throws {
        let response = try await get("/metrics", headers: ["Accept-Encoding": "deflate, gzip"])
        #expect(response.headers.first(name: "Content-Encoding") == "gzip")
        #expect(response.body.getBytes(at: 0, length: 2) == [0x1f, 0x8b])
        let refused = try await get("/metrics", headers: ["Accept-Encoding": "gzip;q=0"])
        #expect(refused.headers.first(name: "Content-Encoding") == nil)
    }

    @Test(arguments: [
        ("/-/healthy", HTTPResponseStatus.ok), ("/", .ok), ("/nope", .notFound), ("/metrics?x=1", .ok),
    ])
    func paths(_ uri: String, _ status: HTTPResponseStatus) async throws {
        #expect(try await get(uri).status == status)
    }

    @Test func onlyGetAndHead() async throws {
        #expect(try await get("/metrics", method: .POST).status == .methodNotAllowed)
        #expect(try await get("/metrics", method: .HEAD).status == .ok)
    }

    @Test func readyOnlyAfterTheFirstCollection() async throws {
        #expect(try await get("/-/ready").status == .serviceUnavailable)
        _ = try await get("/metrics")
        #expect(try await get("/-/ready").status == .ok)
    }
}
