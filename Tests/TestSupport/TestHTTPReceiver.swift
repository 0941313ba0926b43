import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A webhook receiver for notification tests: a real HTTP/1.1 server on 127.0.0.1 that records
/// every request and answers as told: 200, 503, 429 with `Retry-After`, 400, or not at all
/// (a hang, until the client gives up). `stop()` makes it "down": the port refuses connections.
public final class TestHTTPReceiver: Sendable {
    public struct Request: Sendable {
        public let method: String
        public let uri: String
        public let headers: [(String, String)]
        public let body: String

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public enum Answer: Sendable, Equatable {
        case status(Int, headers: [String: String] = [:])
        case hang
    }

    private let state = NIOLockedValueBox<(requests: [Request], answers: [Answer], otherwise: Answer)>(([], [], .status(200)))
    private let channel = NIOLockedValueBox<Channel?>(nil)
    private let boundPort = NIOLockedValueBox(0)

    public var port: Int { boundPort.withLockedValue { $0 } }

    public init() {}

    /// Listens on `port` (0: one the system chooses); returns the port.
    @discardableResult
    public func start(port: Int = 0) async throws -> Int {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(receiver: self))
                }
            }
        let server = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        channel.withLockedValue { $0 = server }
        let bound = server.localAddress?.port ?? port
        boundPort.withLockedValue { $0 = bound }
        return bound
    }

    /// Closes the listening socket: later connections are refused.
    public func stop() async {
        let server = channel.withLockedValue { channel in
            defer { channel = nil }
            return channel
        }
        try? await server?.close()
    }

    public var url: String { "http://127.0.0.1:\(port)/alerts" }

    /// The answers to the next requests, in order; after them, `otherwise`.
    public func answer(_ answers: [Answer], otherwise: Answer = .status(200)) {
        state.withLockedValue {
            $0.answers = answers
            $0.otherwise = otherwise
        }
    }

    public var requests: [Request] { state.withLockedValue { $0.requests } }

    fileprivate func record(_ request: Request) -> Answer {
        state.withLockedValue { state in
            state.requests.append(request)
            return state.answers.isEmpty ? state.otherwise : state.answers.removeFirst()
        }
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let receiver: TestHTTPReceiver
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(receiver: TestHTTPReceiver) {
            self.receiver = receiver
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let head else { return }
                let request = Request(
                    method: "\(head.method)", uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                    body: String(buffer: body))
                switch receiver.record(request) {
                case .hang:
                    return
                case .status(let code, let extra):
                    var headers = HTTPHeaders([("Content-Length", "0")])
                    for (name, value) in extra { headers.add(name: name, value: value) }
                    let response = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: code), headers: headers)
                    context.write(wrapOutboundOut(.head(response)), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
            }
        }
    }
}
