import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Whether an alert receiver can be reached: a TCP connection and, for https, a completed TLS
/// handshake with the receiver's CA settings — and nothing sent, so no test notification
/// pages anyone.
enum ReceiverProbe {
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// One URL the notifier sends to, with the TLS settings it sends with.
    struct Endpoint: Sendable, Equatable {
        /// `receiver ops webhook 0`, `alertmanager 127.0.0.1:9093`.
        var label: String
        var url: String
        var http: HTTPClientSettings
        var timeout: Duration
    }

    /// Every webhook of every receiver, then every Alertmanager target.
    static func endpoints(_ alerting: AlertingSettings) -> [Endpoint] {
        var endpoints: [Endpoint] = []
        for receiver in alerting.receivers {
            for (index, webhook) in receiver.webhooks.enumerated() {
                endpoints.append(Endpoint(label: "receiver \(receiver.name) webhook \(index)", url: webhook.url, http: webhook.http, timeout: webhook.timeout))
            }
        }
        for manager in alerting.alertmanagers {
            for (target, endpoint) in zip(manager.targets, manager.endpoints) {
                endpoints.append(Endpoint(label: "alertmanager \(target)", url: endpoint.url, http: endpoint.http, timeout: endpoint.timeout))
            }
        }
        return endpoints
    }

    /// Connects (and shakes hands) within `timeout`; returns how long it took.
    static func probe(_ endpoint: Endpoint, timeout: Duration) async throws -> Duration {
        guard let url = URL(string: endpoint.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { throw Failure(description: "not an http(s) URL") }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let context = scheme == "https" ? try tlsContext(endpoint.http) : nil
        let serverName = IPAddressScope.bytes(of: host) == nil ? host : nil
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let handshake = loop.makePromise(of: Void.self)
        let started = ContinuousClock.now
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.milliseconds(timeout.milliseconds))
            .channelInitializer { channel in
                guard let context else { return channel.eventLoop.makeSucceededVoidFuture() }
                do {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                    try channel.pipeline.syncOperations.addHandler(HandshakeObserver(promise: handshake))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: port).get()
        } catch {
            handshake.fail(error)
            throw Failure(description: "cannot connect to \(host):\(port): \(NetworkErrorText.describe(error))")
        }
        if context == nil { handshake.succeed() }
        let timer = loop.scheduleTask(in: .milliseconds(timeout.milliseconds)) {
            handshake.fail(Failure(description: "TLS handshake with \(host):\(port) did not finish within \(timeout)"))
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        do {
            try await handshake.futureResult.get()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "TLS handshake with \(host):\(port) failed: \(error)")
        }
        return ContinuousClock.now - started
    }

    /// The TLS settings the notifier uses for this receiver; a CA file that cannot be read is
    /// reported as such.
    private static func tlsContext(_ http: HTTPClientSettings) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = http.caFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw Failure(description: "cannot read tls_config.ca_file \(caFile): \(error)")
            }
        }
        if http.insecureSkipVerify { tls.certificateVerification = .none }
        return try NIOSSLContext(configuration: tls)
    }

    /// The verdict on one endpoint.
    static func check(_ endpoint: Endpoint, outcome: Result<Duration, Failure>) -> DoctorCheck {
        let name = "alerting.receiver"
        let subject = "\(endpoint.label) \(endpoint.url)"
        switch outcome {
        case .success(let elapsed):
            let tls = endpoint.url.lowercased().hasPrefix("https:") ? " and completed the TLS handshake" : ""
            return .pass(name, subject, "connected\(tls) in \(elapsed.milliseconds) ms (nothing sent)")
        case .failure(let failure):
            return .fail(name, subject, failure.description, fix: "start the receiver or correct its url in alerting (a firewall, DNS or CA file may be in the way)")
        }
    }

    static func none() -> DoctorCheck {
        .warn(
            "alerting.receiver", "", "no webhook or Alertmanager under alerting: alerts stay on this host",
            fix: "add alerting.receivers with webhook_configs and a route, or alerting.alertmanagers (see docs/alerting.md)")
    }
}

/// Completes a promise when the TLS handshake completes, or fails it with the reason the
/// connection ended first.
private final class HandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { promise.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ReceiverProbe.Failure(description: "the connection closed before the TLS handshake finished"))
        context.fireChannelInactive()
    }
}
