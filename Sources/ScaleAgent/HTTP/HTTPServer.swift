import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The agent's HTTP/1.1 listener on SwiftNIO's event loops.
public final class HTTPServer: Sendable {
    private let channel: any Channel

    public var localAddress: SocketAddress? { channel.localAddress }

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Binds and starts accepting. Fails (e.g. address in use) before anything is served.
    public static func start(
        at address: ListenAddress, responder: any HTTPResponder, group: any EventLoopGroup
    ) async throws -> HTTPServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPRequestHandler(responder: responder))
                }
            }
            .bind(host: address.host, port: address.port)
            .get()
        return HTTPServer(channel: channel)
    }

    /// Stops accepting; connections in progress finish on their own.
    public func stop() async {
        try? await channel.close()
    }
}
