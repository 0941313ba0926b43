import NIOCore
import NIOSSL
import NIOTLS

/// Right behind the TLS handler: counts a handshake that fails (no client certificate where one
/// is required, one the client CA did not sign, no version or cipher in common) and leaves
/// once a handshake completes. A client that hangs up mid-handshake is not counted.
final class TLSHandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let counters: WebSecurityCounters
    private var counted = false

    init(counters: WebSecurityCounters) {
        self.counters = counters
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !counted, error is NIOSSLError || error is BoringSSLError {
            counted = true
            counters.record(.handshake)
        }
        context.fireErrorCaught(error)
    }
}
