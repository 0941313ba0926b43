import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The agent's HTTP server: a listener on the configured address (two for a moment while a
/// reload moves it), all serving the one request chain in force, on event loops of its own.
public final class HTTPServer: Sendable {
    private let endpoints: AgentEndpoints
    private let requests: HTTPRequestCounter
    private let connections: HTTPConnectionTable
    private let protection: WebProtection
    /// What the file descriptor limit leaves to HTTP (`FileDescriptorLimit`).
    private let connectionShare: Int
    private let softFileLimit: Int
    private let logger: Logger
    private let eventLoops: MultiThreadedEventLoopGroup
    /// The web settings the chain was built from, and the chain.
    private let chain: NIOLockedValueBox<(web: WebSettings, responder: RouterResponder<AgentRequestContext>)>
    /// The current listener last; those before it are stopping. Nil once the server stopped:
    /// a reload that comes later (the reloads service stops after this one) binds nothing.
    private let listeners = NIOLockedValueBox<[HTTPListener]?>([])

    /// How long a listener that a reload replaced may take to finish its requests.
    static let drainTimeout: Duration = .seconds(30)

    /// Raises the process' soft file descriptor limit to its hard limit (`FileDescriptorLimit`)
    /// and sets `connections`' limit from `web` within what that leaves to HTTP.
    ///
    /// `webConfig` is `web.configFile` as loaded; `security` counts what it refuses.
    public init(
        endpoints: AgentEndpoints, requests: HTTPRequestCounter, connections: HTTPConnectionTable, web: WebSettings,
        webConfig: WebConfig = .none, security: WebSecurityCounters = WebSecurityCounters(), logger: Logger
    ) {
        let protection = WebProtection(
            source: WebConfigSource(file: web.configFile, config: webConfig, counters: security, logger: logger),
            verifier: BasicAuthVerifier(), counters: security)
        self.protection = protection
        self.endpoints = endpoints
        self.requests = requests
        self.connections = connections
        self.logger = logger
        self.softFileLimit = FileDescriptorLimit.raiseSoftLimit()
        self.connectionShare = FileDescriptorLimit.httpShare(of: softFileLimit)
        self.eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))
        self.chain = NIOLockedValueBox(
            (web, HTTPLayer.responder(web: web, endpoints: endpoints, requests: requests, protection: protection)))
        applyConnectionLimit(web)
    }

    /// The current listener's address (with the port the system chose when 0 was asked).
    public var localAddress: SocketAddress? { listeners.withLockedValue { $0?.last?.localAddress } }

    /// The current listener's address as the config spells it, with the bound port: what the
    /// log says it serves on (`127.0.0.1:0` binds a port the system chooses).
    public var boundAddress: ListenAddress? {
        listeners.withLockedValue { $0?.last }.flatMap { listener in
            listener.localAddress?.port.map { ListenAddress(host: listener.address.host, port: $0) }
        }
    }

    /// Binds `address` and serves there. The listener before it, if any, stops accepting at
    /// once and closes its connections as their requests finish. When the address cannot be
    /// bound, throws and leaves the old listener serving.
    public func listen(at address: ListenAddress) async throws(ListenFailure) {
        let web = chain.withLockedValue { $0.web }
        let listener: HTTPListener
        do {
            guard listeners.withLockedValue({ $0 != nil }) else { throw HTTPServerStopped() }
            listener = try await HTTPListener.start(
                at: address, responder: CurrentResponder(chain: chain),
                server: HTTPLayer.server(web: web, connections: connections, requests: requests, protection: protection),
                eventLoops: eventLoops, logger: logger)
        } catch {
            throw ListenFailure(address: address, underlying: error)
        }
        let replaced = listeners.withLockedValue { listeners in
            let previous = listeners
            listeners?.append(listener)
            return previous
        }
        guard let replaced else {
            // The server stopped while this one was binding.
            await listener.stop(within: .zero)
            throw ListenFailure(address: address, underlying: HTTPServerStopped())
        }
        for old in replaced {
            Task {
                await old.stop(within: Self.drainTimeout)
                listeners.withLockedValue { $0?.removeAll { $0 === old } }
            }
        }
    }

    /// A reload's web settings: the chain is rebuilt when they changed, and serves the next
    /// request on every listener. `webConfig` (`web.configFile` as the reload loaded it) is in
    /// force from the next connection and request.
    public func apply(web: WebSettings, webConfig: WebConfig = .none) {
        applyConnectionLimit(web)
        protection.source.replace(file: web.configFile, config: webConfig)
        let (endpoints, requests, protection) = (self.endpoints, self.requests, self.protection)
        chain.withLockedValue { chain in
            guard chain.web != web else { return }
            chain = (web, HTTPLayer.responder(web: web, endpoints: endpoints, requests: requests, protection: protection))
        }
    }

    private func applyConnectionLimit(_ web: WebSettings) {
        let limit = min(web.maxConnections, connectionShare)
        if limit < web.maxConnections, connections.limit != limit {
            logger.warning(
                "web.max_connections lowered to keep file descriptors for the collectors and the store",
                metadata: [
                    "max_connections": "\(web.maxConnections)", "lowered_to": "\(limit)",
                    "reserved_descriptors": "\(FileDescriptorLimit.reserve)",
                ])
        }
        connections.setLimit(limit)
        PseudoFileCache.shared.setDescriptorBudget(FileDescriptorLimit.keptFilesShare(of: softFileLimit, httpConnections: limit))
    }

    /// Stops every listener (see `HTTPListener.stop(within:)`), then the event loops.
    public func stop(within timeout: Duration) async {
        let all = listeners.withLockedValue { listeners in
            let all = listeners ?? []
            listeners = nil
            return all
        }
        await withTaskGroup(of: Void.self) { tasks in
            for listener in all { tasks.addTask { await listener.stop(within: timeout) } }
        }
        try? await eventLoops.shutdownGracefully()
        await protection.verifier.shutdown()
    }
}

/// The chain in force, read once per request, so that a reload swaps it for every listener.
private struct CurrentResponder: HTTPResponder {
    typealias Context = AgentRequestContext
    let chain: NIOLockedValueBox<(web: WebSettings, responder: RouterResponder<AgentRequestContext>)>

    func respond(to request: Request, context: AgentRequestContext) async throws -> Response {
        try await chain.withLockedValue { $0.responder }.respond(to: request, context: context)
    }
}

struct HTTPServerStopped: Error, CustomStringConvertible {
    var description: String { "the HTTP server is stopping" }
}

public struct ListenFailure: Error, CustomStringConvertible {
    public let address: ListenAddress
    public let underlying: any Error

    /// An operator's sentence: "cannot listen on 127.0.0.1:9470: address already in use", not
    /// NIO's "bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)".
    public var description: String { "cannot listen on \(address): \(Self.reason(underlying))" }

    static func reason(_ error: any Error) -> String {
        guard let io = error as? IOError else { return "\(error)" }
        let text = String(cString: strerror(io.errnoCode))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
