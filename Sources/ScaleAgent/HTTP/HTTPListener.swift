import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// One bound address: HummingbirdCore's HTTP server (a swift-service-lifecycle service) in a
/// service group of its own, so that it can be stopped alone — a reload that moves the address
/// stops the old listener while the new one serves.
///
/// The server is driven directly rather than through Hummingbird's `Application`, which adds
/// what the agent does not need: a request ID in the logger's metadata of every request, and a
/// `Date` header from a cache whose calendar formatting makes ICU's data resident.
final class HTTPListener: Sendable {
    /// The address bound (with the port the system chose when 0 was asked).
    let localAddress: SocketAddress?
    /// The address asked for.
    let address: ListenAddress
    private let group: ServiceGroup
    private let running: Task<Void, Never>
    private let logger: Logger

    private init(
        localAddress: SocketAddress?, address: ListenAddress, group: ServiceGroup, running: Task<Void, Never>, logger: Logger
    ) {
        self.localAddress = localAddress
        self.address = address
        self.group = group
        self.running = running
        self.logger = logger
    }

    /// Returns once the address is bound and connections are accepted; throws (e.g. address
    /// in use) before anything is served.
    static func start(
        at address: ListenAddress, responder: some HTTPResponder<AgentRequestContext>, server: HTTPServerBuilder,
        eventLoops: any EventLoopGroup, logger: Logger
    ) async throws -> HTTPListener {
        // Resumed once: by the server when it is bound, or by its end when binding failed.
        let bound = NIOLockedValueBox<CheckedContinuation<SocketAddress?, any Error>?>(nil)
        let resume: @Sendable (Result<SocketAddress?, any Error>) -> Void = { result in
            bound.withLockedValue { waiting in
                let continuation = waiting
                waiting = nil
                return continuation
            }?.resume(with: result)
        }
        let service = try server.buildServer(
            configuration: ServerConfiguration(address: .hostname(address.host, port: address.port)),
            eventLoopGroup: eventLoops, logger: logger,
            responder: { request, writer, channel in
                let context = AgentRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
                let response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch let error as HTTPParserError {
                    // A malformed request: the connection answers 400 and closes.
                    throw error
                } catch {
                    // The chain answers every error itself; this is only a backstop.
                    response = ErrorResponseMiddleware.response(to: error)
                }
                try await writer.write(response: response.head, body: response.body)
            },
            onServerRunning: { channel in resume(.success(channel.localAddress)) })
        let group = ServiceGroup(services: [service], logger: logger)
        var running: Task<Void, Never>?
        let localAddress = try await withCheckedThrowingContinuation { continuation in
            bound.withLockedValue { $0 = continuation }
            // Detached: the listener's lifetime is its own, not that of whoever started it (the
            // agent's start, or a reload).
            running = Task.detached {
                do {
                    try await group.run()
                    resume(.failure(HTTPListenerStopped()))
                } catch {
                    resume(.failure(error))
                }
            }
        }
        return HTTPListener(localAddress: localAddress, address: address, group: group, running: running!, logger: logger)
    }

    /// Stops accepting at once and closes idle connections (keep-alive ones included); a
    /// connection with a request in flight closes once its response is written. Whatever is
    /// still open after `timeout` is closed without waiting.
    func stop(within timeout: Duration) async {
        await group.triggerGracefulShutdown()
        let (running, logger) = (self.running, self.logger)
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await running.value }
            tasks.addTask {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                logger.warning(
                    "HTTP requests still in flight when the listener stops; closing their connections",
                    metadata: ["waited": "\(timeout)"])
                running.cancel()
            }
            await tasks.next()
            tasks.cancelAll()
        }
    }
}

/// The server ended without having been bound (it was stopped before it started).
struct HTTPListenerStopped: Error, CustomStringConvertible {
    var description: String { "the HTTP server stopped before it was listening" }
}
