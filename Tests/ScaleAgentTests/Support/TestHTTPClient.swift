import NIOCore
import NIOHTTP1
import NIOPosix

/// A response as a test reads it: whole, body as text.
struct TestHTTPResponse: Sendable {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: ByteBuffer

    var text: String { String(buffer: body) }
}

/// An HTTP/1.1 client for the agent's server in tests: one connection, kept alive across
/// requests, so that a test can also hold it open while the server stops.
final class TestHTTPConnection {
    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

    private init(
        inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    ) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Connects to `port` on 127.0.0.1, runs `body` and closes the connection.
    static func with<Result>(port: Int, _ body: (TestHTTPConnection) async throws -> Result) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(TestHTTPConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound))
        }
    }

    /// One request and its whole response.
    func send(_ method: HTTPMethod, _ uri: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) async throws -> TestHTTPResponse {
        var headers = headers
        headers.replaceOrAdd(name: "Host", value: "127.0.0.1")
        if let body, !headers.contains(name: "Content-Length"), !headers.contains(name: "Transfer-Encoding") {
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        }
        try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)))
        if let body { try await outbound.write(.body(.byteBuffer(body))) }
        try await outbound.write(.end(nil))
        return try await response()
    }

    /// Reads the next response.
    func response() async throws -> TestHTTPResponse {
        var head: HTTPResponseHead?
        var body = ByteBuffer()
        while let part = try await inbound.next() {
            switch part {
            case .head(let received): head = received
            case .body(var chunk): body.writeBuffer(&chunk)
            case .end:
                guard let head else { throw TestHTTPError.noHead }
                return TestHTTPResponse(status: head.status, headers: head.headers, body: body)
            }
        }
        throw TestHTTPError.closed
    }

    /// Whether the server closed the connection (rather than sending anything more).
    func isClosedByServer() async -> Bool {
        do {
            return try await inbound.next() == nil
        } catch {
            return true
        }
    }

    /// Writes raw request parts, for requests `send` cannot make (a body streamed in pieces).
    func write(_ part: HTTPClientRequestPart) async throws {
        try await outbound.write(part)
    }
}

enum TestHTTPError: Error {
    case noHead
    case closed
}

extension TestHTTPConnection {
    /// One request on a connection of its own.
    static func send(
        _ method: HTTPMethod, port: Int, _ uri: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil
    ) async throws -> TestHTTPResponse {
        try await with(port: port) { try await $0.send(method, uri, headers: headers, body: body) }
    }
}

/// Bytes no HTTP client would send: writes `request` as it is and reads until the server
/// closes the connection.
func exchangeRawBytes(port: Int, _ request: String) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        try await outbound.write(ByteBuffer(string: request))
        var received = ByteBuffer()
        for try await var chunk in inbound { received.writeBuffer(&chunk) }
        return String(buffer: received)
    }
}
