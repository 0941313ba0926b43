import NIOCore
import NIOHTTP1
import Testing

@testable import ScaleAgent

/// The server's behaviour on its connections: bounded bodies, keep-alive, stopping, moving.
@Suite struct HTTPServerTests {
    @Test func aDeclaredBodyBeyondTheLimitIs413() async throws {
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true)) { server in
            let body = ByteBuffer(repeating: 0x61, count: HTTPLayer.maximumBodyBytes + 1)
            let response = try await TestHTTPConnection.send(.POST, port: server.port, "/-/reload", body: body)
            #expect(response.status == .payloadTooLarge)
            #expect(response.text == "request body larger than 1048576 bytes\n")
            #expect(server.actions.withLockedValue { $0 }.isEmpty)
        }
    }

    @Test func aStreamedBodyBeyondTheLimitIs413AndTheConnectionGoesOn() async throws {
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true)) { server in
            try await TestHTTPConnection.with(port: server.port) { connection in
                try await connection.write(
                    .head(HTTPRequestHead(
                        version: .http1_1, method: .POST, uri: "/-/reload",
                        headers: ["Host": "127.0.0.1", "Transfer-Encoding": "chunked"])))
                let chunk = ByteBuffer(repeating: 0x61, count: 64 << 10)
                for _ in 0..<(HTTPLayer.maximumBodyBytes / chunk.readableBytes + 1) {
                    try await connection.write(.body(.byteBuffer(chunk)))
                }
                try await connection.write(.end(nil))
                #expect(try await connection.response().status == .payloadTooLarge)
                #expect(try await connection.send(.GET, "/-/healthy").status == .ok)
            }
            #expect(server.actions.withLockedValue { $0 }.isEmpty)
        }
    }

    @Test func aBodyWithinTheLimitIsAccepted() async throws {
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true)) { server in
            let body = ByteBuffer(repeating: 0x61, count: HTTPLayer.maximumBodyBytes)
            let response = try await TestHTTPConnection.send(.POST, port: server.port, "/-/reload", body: body)
            #expect(response.status == .ok)
        }
    }

    @Test func anOversizedRequestHeadIsRefused() async throws {
        try await ServerUnderTest.with { server in
            let uri = "/metrics?" + String(repeating: "a", count: 64 << 10)
            let response = try await TestHTTPConnection.send(.GET, port: server.port, uri)
            #expect(response.status == .badRequest)
        }
    }

    @Test func aMalformedBodyIs400AndTheConnectionCloses() async throws {
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true)) { server in
            let answer = try await exchangeRawBytes(
                port: server.port,
                "POST /-/reload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n")
            #expect(answer == "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            #expect(server.actions.withLockedValue { $0 }.isEmpty)
        }
    }

    @Test func stopsPromptlyWithKeepAliveConnectionsOpen() async throws {
        let server = try await ServerUnderTest.start()
        try await TestHTTPConnection.with(port: server.port) { idle in
            try await TestHTTPConnection.with(port: server.port) { other in
                _ = try await idle.send(.GET, "/metrics")
                _ = try await other.send(.GET, "/-/healthy")
                let started = ContinuousClock.now
                await server.server.stop(within: .seconds(10))
                #expect(ContinuousClock.now - started < .seconds(2))
                #expect(await idle.isClosedByServer())
                #expect(await other.isClosedByServer())
            }
        }
    }

    @Test func listeningElsewhereClosesTheOldAddress() async throws {
        try await ServerUnderTest.with { server in
            try await TestHTTPConnection.with(port: server.port) { old in
                #expect(try await old.send(.GET, "/-/healthy").status == .ok)
                try await server.server.listen(at: ListenAddress(host: "127.0.0.1", port: 0))
                let newPort = try #require(server.server.localAddress?.port)
                #expect(newPort != server.port)
                #expect(try await TestHTTPConnection.send(.GET, port: newPort, "/-/healthy").status == .ok)
                // The old listener closes its idle connection and accepts no new one.
                #expect(await old.isClosedByServer())
                await #expect(throws: (any Error).self) {
                    try await TestHTTPConnection.send(.GET, port: server.port, "/-/healthy")
                }
            }
        }
    }

    @Test func anAddressThatCannotBeBoundKeepsTheOldOne() async throws {
        try await ServerUnderTest.with { server in
            let failure = await #expect(throws: ListenFailure.self) {
                try await server.server.listen(at: ListenAddress(host: "127.0.0.1", port: server.port))
            }
            // An operator's sentence, not NIO's description of its system call.
            #expect(failure?.description == "cannot listen on 127.0.0.1:\(server.port): address already in use")
            #expect(server.server.localAddress?.port == server.port)
            let response = try await TestHTTPConnection.send(.GET, port: server.port, "/-/healthy")
            #expect(response.status == .ok)
        }
    }
}
