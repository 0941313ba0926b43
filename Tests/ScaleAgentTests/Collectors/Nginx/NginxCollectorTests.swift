import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
@testable import ScaleAgent

/// The collector against a real HTTP server on loopback (SwiftNIO) serving a stub_status page,
/// a 404, and nothing at all; the integration test (scripts/sockets_test.py) does it against nginx.
@Suite struct NginxCollectorTests {
    private final class Page: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let status: HTTPResponseStatus
        let body: String
        init(status: HTTPResponseStatus, body: String) {
            self.status = status
            self.body = body
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: String(body.utf8.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_0, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
        }
    }

    private func serve(_ status: HTTPResponseStatus, _ body: String) async throws -> Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Page(status: status, body: body))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    private func collect(port: Int) throws -> [MetricFamily] {
        var settings = NginxSettings()
        settings.stubStatusURL = HTTPURL(host: "127.0.0.1", port: UInt16(port), path: "/stub_status")
        var builder = MetricsBuilder()
        try NginxCollector(settings: settings).collect(into: &builder)
        return builder.build()
    }

    @Test func readsTheExportersFamilies() async throws {
        let page = "Active connections: 3 \nserver accepts handled requests\n 10 9 25 \nReading: 0 Writing: 1 Waiting: 2 \n"
        let server = try await serve(.ok, page)
        let families = try collect(port: server.localAddress!.port!)
        try await server.close()
        let values = Dictionary(uniqueKeysWithValues: families.map { ($0.name, $0.samples.first!.value) })
        #expect(values == [
            "nginx_up": 1, "nginx_connections_accepted": 10, "nginx_connections_active": 3, "nginx_connections_handled": 9,
            "nginx_connections_reading": 0, "nginx_connections_waiting": 2, "nginx_connections_writing": 1,
            "nginx_http_requests_total": 25,
        ])
        #expect(families.first { $0.name == "nginx_http_requests_total" }?.type == .counter)
    }

    @Test func aMissingPageOrServerIsNginxUpZero() async throws {
        let server = try await serve(.notFound, "not here")
        let port = server.localAddress!.port!
        #expect(try collect(port: port).map(\.name) == ["nginx_up"])
        #expect(try collect(port: port).first?.samples.first?.value == 0)
        try await server.close()
        #expect(try collect(port: port).first?.samples.first?.value == 0)
    }

    @Test func withoutAURLItReportsNothing() throws {
        var builder = MetricsBuilder()
        try NginxCollector(settings: NginxSettings()).collect(into: &builder)
        #expect(builder.build().isEmpty)
    }

    @Test func theConfigTakesAnHTTPURLOnly() throws {
        let config = try ConfigLoader.parse("collectors:\n  nginx:\n    stub_status_url: http://127.0.0.1:8080/stub_status\n", file: "a.yml")
        #expect(config.collectors.nginx.stubStatusURL == HTTPURL(host: "127.0.0.1", port: 8080, path: "/stub_status"))
        #expect(config.collectors.enabled.contains("nginx"))
        #expect(!AgentConfig().collectors.enabled.contains("nginx"))
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.parse("collectors:\n  nginx:\n    stub_status_url: https://h/s\n", file: "a.yml")
        }
        #expect(error?.description == "a.yml:3:22: collectors.nginx.stub_status_url https is not supported; use http on the loopback, got 'https://h/s'")
    }
}
