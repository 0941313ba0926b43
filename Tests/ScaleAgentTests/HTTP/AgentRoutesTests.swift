import NIOCore
import NIOHTTP1
import Testing

@testable import ScaleAgent

/// The route table and the middleware chain, over a socket.
@Suite struct AgentRoutesTests {
    @Test func metricsInTextFormatByDefault() async throws {
        try await ServerUnderTest.with { server in
            let response = try await TestHTTPConnection.send(.GET, port: server.port, "/metrics")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.headers.first(name: "Vary") == "Accept, Accept-Encoding")
            #expect(response.text.contains("test_requests_total 7\n"))
        }
    }

    @Test func metricsInOpenMetricsWhenAsked() async throws {
        try await ServerUnderTest.with { server in
            let response = try await TestHTTPConnection.send(
                .GET, port: server.port, "/metrics", headers: ["Accept": "application/openmetrics-text; version=1.0.0"])
            #expect(response.headers.first(name: "Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(response.text.hasSuffix("# EOF\n"))
        }
    }

    @Test(arguments: [
        ("deflate, gzip", true), ("gzip;q=0.5", true), ("GZIP", true), ("gzip;q=0", false), ("deflate", false), (nil, false),
    ] as [(String?, Bool)])
    func gzipWhenAccepted(_ acceptEncoding: String?, _ gzipped: Bool) async throws {
        try await ServerUnderTest.with { server in
            let headers: HTTPHeaders = acceptEncoding.map { ["Accept-Encoding": $0] } ?? [:]
            let response = try await TestHTTPConnection.send(.GET, port: server.port, "/metrics", headers: headers)
            #expect((response.headers.first(name: "Content-Encoding") == "gzip") == gzipped)
            #expect((response.body.getBytes(at: 0, length: 2) == [0x1f, 0x8b]) == gzipped)
        }
    }

    @Test(arguments: [
        ("/-/healthy", HTTPResponseStatus.ok, "scalewatch is Healthy.\n"), ("/nope", .notFound, "not found\n"),
        ("/metrics/nope", .notFound, "not found\n"),
    ])
    func paths(_ uri: String, _ status: HTTPResponseStatus, _ body: String) async throws {
        try await ServerUnderTest.with { server in
            let response = try await TestHTTPConnection.send(.GET, port: server.port, uri)
            #expect(response.status == status)
            #expect(response.text == body)
            #expect(response.headers.first(name: "Content-Type") == "text/plain; charset=utf-8")
        }
    }

    @Test func landingPageAndQueryStrings() async throws {
        try await ServerUnderTest.with { server in
            let page = try await TestHTTPConnection.send(.GET, port: server.port, "/")
            #expect(page.status == .ok && page.text.contains("<a href=\"/metrics\">"))
            #expect(page.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
            #expect(try await TestHTTPConnection.send(.GET, port: server.port, "/metrics?x=1").status == .ok)
        }
    }

    @Test(arguments: [
        (HTTPMethod.POST, "/metrics", "GET, HEAD"), (.DELETE, "/-/healthy", "GET, HEAD"), (.PUT, "/", "GET, HEAD"),
        (.GET, "/-/reload", "POST, PUT"), (.HEAD, "/-/quit", "POST, PUT"), (.DELETE, "/-/quit", "POST, PUT"),
    ])
    func wrongMethodIs405WithAllow(_ method: HTTPMethod, _ uri: String, _ allow: String) async throws {
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true)) { server in
            let response = try await TestHTTPConnection.send(method, port: server.port, uri)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers.first(name: "Allow") == allow)
            #expect(server.actions.withLockedValue { $0 }.isEmpty)
        }
    }

    @Test func headAnswersAsGetWithoutTheBody() async throws {
        try await ServerUnderTest.with { server in
            try await TestHTTPConnection.with(port: server.port) { connection in
                let get = try await connection.send(.GET, "/metrics", headers: ["Accept-Encoding": "gzip"])
                let head = try await connection.send(.HEAD, "/metrics", headers: ["Accept-Encoding": "gzip"])
                #expect(head.status == .ok)
                #expect(head.body.readableBytes == 0)
                #expect(head.headers.first(name: "Content-Length") == String(get.body.readableBytes))
                #expect(head.headers.first(name: "Content-Encoding") == "gzip")
                // The connection is still in step: the next answer is the next request's.
                #expect(try await connection.send(.HEAD, "/-/healthy").status == .ok)
                #expect(try await connection.send(.GET, "/-/healthy").text == "scalewatch is Healthy.\n")
            }
        }
    }

    @Test func readyOnlyAfterTheFirstCollection() async throws {
        try await ServerUnderTest.with { server in
            #expect(try await TestHTTPConnection.send(.GET, port: server.port, "/-/ready").status == .serviceUnavailable)
            _ = try await TestHTTPConnection.send(.GET, port: server.port, "/metrics")
            #expect(try await TestHTTPConnection.send(.GET, port: server.port, "/-/ready").status == .ok)
        }
    }

    @Test func requestsAreCountedByRoutePatternAndCode() async throws {
        try await ServerUnderTest.with { server in
            try await TestHTTPConnection.with(port: server.port) { connection in
                for (method, uri) in [
                    (HTTPMethod.GET, "/metrics"), (.GET, "/metrics?a=b"), (.HEAD, "/metrics"), (.POST, "/metrics"),
                    (.GET, "/nope"), (.GET, "/-/healthy"), (.POST, "/-/reload"),
                ] {
                    _ = try await connection.send(method, uri)
                }
            }
            #expect(server.requestCounts == [
                #"scalewatch_http_requests_total{code="200",handler="/-/healthy"} 1"#,
                #"scalewatch_http_requests_total{code="200",handler="/metrics"} 3"#,
                #"scalewatch_http_requests_total{code="403",handler="/-/reload"} 1"#,
                #"scalewatch_http_requests_total{code="404",handler="other"} 1"#,
                #"scalewatch_http_requests_total{code="405",handler="other"} 1"#,
            ])
        }
    }

    @Test func unknownErrorsAre500WithoutTheirDetails() {
        struct Internal: Error, CustomStringConvertible { var description: String { "secret detail" } }
        let response = ErrorResponseMiddleware.response(to: Internal())
        #expect(response.status.code == 500)
        #expect(response.headers[.contentLength] == String("internal server error\n".utf8.count))
    }
}
