import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import ScaleAgent

/// The connection limit on real sockets, and the answers the connection gives itself (NIO's
/// 400) counted with the router's.
@Suite struct HTTPConnectionLimitTests {
    /// Waits until the server has registered `count` open connections (accepting is asynchronous).
    private func waitForOpen(_ server: ServerUnderTest, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while server.connections.openCount != count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.connections.openCount == count)
    }

    @Test func atTheLimitANewConnectionReplacesTheOneIdleLongest() async throws {
        try await ServerUnderTest.with(web: WebSettings(maxConnections: 2)) { server in
            #expect(server.connections.limit == 2)
            try await TestHTTPConnection.with(port: server.port) { oldest in
                try await waitForOpen(server, 1)
                try await TestHTTPConnection.with(port: server.port) { newer in
                    try await waitForOpen(server, 2)
                    // A third connection: the oldest idle one makes room, and the new one is served.
                    let response = try await TestHTTPConnection.send(.GET, port: server.port, "/-/healthy")
                    #expect(response.status == .ok)
                    #expect(await oldest.isClosedByServer())
                    let again = try await newer.send(.GET, "/-/healthy")
                    #expect(again.status == .ok)
                    #expect(server.connections.closedCount(.evicted) == 1)
                    #expect(server.connections.closedCount(.refused) == 0)
                }
            }
        }
    }

    /// The table's choices on its own, with real (client) channels to close.
    @Test func refusesOnlyWhileEveryConnectionIsBeingAnswered() async throws {
        try await ServerUnderTest.with { server in
            var channels: [any Channel] = []
            for _ in 0..<3 {
                channels.append(try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: server.port).get())
            }
            let table = HTTPConnectionTable(limit: 1, logger: Logger(label: "test"))
            let start = NIODeadline.now()
            let busy = try #require(table.admit(channels[0], now: start))
            table.update(busy, evictable: false, waitingSince: start)
            #expect(table.admit(channels[1], now: start + .seconds(1)) == nil)
            #expect(table.closedCount(.refused) == 1)
            #expect(channels[0].isActive)

            table.update(busy, evictable: true, waitingSince: start + .seconds(2))
            #expect(table.admit(channels[2], now: start + .seconds(3)) != nil)
            #expect(table.closedCount(.evicted) == 1)
            try await channels[0].closeFuture.get()
            #expect(table.openCount == 1)
            for channel in channels { try? await channel.close() }
        }
    }

    @Test func theLimitIsReportedAndFollowsAReload() async throws {
        try await ServerUnderTest.with(web: WebSettings(maxConnections: 7)) { server in
            var metrics = MetricsBuilder()
            server.connections.report(into: &metrics)
            let text = String(decoding: ExpositionRenderer.render(metrics.build(), as: .text), as: UTF8.self)
            #expect(text.contains("scalewatch_http_connections_limit 7\n"))
            #expect(text.contains(#"scalewatch_http_connections_closed_total{reason="refused"} 0"#))
            server.server.apply(web: WebSettings(maxConnections: 3))
            #expect(server.connections.limit == 3)
        }
    }

    @Test(arguments: [
        "GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        "POST /-/reload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
    ])
    func aRequestNIORefusesIsCountedAs400(_ request: String) async throws {
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true)) { server in
            let answer = try await exchangeRawBytes(port: server.port, request)
            #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(server.requestCounts.contains(#"scalewatch_http_requests_total{code="400",handler="other"} 1"#))
        }
    }

    @Test func anOversizedHeadIsCountedAs400() async throws {
        try await ServerUnderTest.with { server in
            let uri = "/metrics?" + String(repeating: "a", count: 64 << 10)
            let response = try await TestHTTPConnection.send(.GET, port: server.port, uri)
            #expect(response.status == .badRequest)
            #expect(server.requestCounts.contains(#"scalewatch_http_requests_total{code="400",handler="other"} 1"#))
        }
    }

    @Test func aBodyBeyondTheLimitIsCountedAs413() async throws {
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true)) { server in
            let body = ByteBuffer(repeating: 0x61, count: HTTPLayer.maximumBodyBytes + 1)
            let response = try await TestHTTPConnection.send(.POST, port: server.port, "/-/reload", body: body)
            #expect(response.status == .payloadTooLarge)
            #expect(server.requestCounts.contains(#"scalewatch_http_requests_total{code="413",handler="/-/reload"} 1"#))
        }
    }

    @Test(arguments: [(1024, 768), (400, 200), (100, 50), (2, 1), (1_048_576, 1_048_320)])
    func httpKeepsTheReserveOfDescriptors(_ limit: Int, _ share: Int) {
        #expect(FileDescriptorLimit.httpShare(of: limit) == share)
    }

    /// Kept pseudo-files get what HTTP and half the reserve leave.
    @Test(arguments: [(1024, 512, 384), (1024, 768, 128), (100, 50, 0), (1_048_576, 512, 1_047_936)])
    func keptFilesGetWhatHTTPAndHalfTheReserveLeave(_ limit: Int, _ connections: Int, _ share: Int) {
        #expect(FileDescriptorLimit.keptFilesShare(of: limit, httpConnections: connections) == share)
    }
}
