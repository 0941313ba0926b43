import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// HummingbirdCore's HTTP/1.1 connection with the agent's guards added to each connection's
/// pipeline: `RequestStartHandler` first, `ConnectionGuardHandler` right after NIO's HTTP/1
/// decoder, and, when the web config in force has TLS, between them
///
///     PlainHTTPRefusalHandler → NIOSSLServerHandler → TLSHandshakeObserver
///
/// (the read timeout covers the handshake too: a client that starts one must finish it).
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let connections: HTTPConnectionTable
    let requests: HTTPRequestCounter
    let readTimeout: TimeAmount
    let idleTimeout: TimeAmount
    let protection: WebProtection

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (connections, requests, readTimeout, idleTimeout) = (connections, requests, readTimeout, idleTimeout)
        let (tls, counters) = (protection.source.current.tls, protection.counters)
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let guardHandler = ConnectionGuardHandler(
                connections: connections, requests: requests, readTimeout: readTimeout, idleTimeout: idleTimeout)
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(guardHandler, position: .after(decoder))
            if let tls {
                try pipeline.addHandler(TLSHandshakeObserver(counters: counters), position: .first)
                try pipeline.addHandler(tls.makeHandler(), position: .first)
                try pipeline.addHandler(PlainHTTPRefusalHandler(counters: counters), position: .first)
            }
            try pipeline.addHandler(RequestStartHandler(guardHandler: guardHandler), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
