import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// HummingbirdCore's HTTP/1.1 connection with the agent's guards added to each connection's
/// pipeline: `RequestStartHandler` first, `ConnectionGuardHandler` right after NIO's HTTP/1
/// decoder.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let connections: HTTPConnectionTable
    let requests: HTTPRequestCounter
    let readTimeout: TimeAmount
    let idleTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (connections, requests, readTimeout, idleTimeout) = (connections, requests, readTimeout, idleTimeout)
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let guardHandler = ConnectionGuardHandler(
                connections: connections, requests: requests, readTimeout: readTimeout, idleTimeout: idleTimeout)
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(guardHandler, position: .after(decoder))
            try pipeline.addHandler(RequestStartHandler(guardHandler: guardHandler), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
