import NIOCore

/// At the front of a connection's pipeline: tells its `ConnectionGuardHandler` when bytes
/// arrive, so that the read timeout starts at a request's first byte rather than at its
/// decoded head, which a slow client never completes.
final class RequestStartHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let guardHandler: ConnectionGuardHandler
    private var guardContext: ChannelHandlerContext?

    init(guardHandler: ConnectionGuardHandler) {
        self.guardHandler = guardHandler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if guardContext == nil {
            guardContext = try? context.pipeline.syncOperations.context(handler: guardHandler)
        }
        if let guardContext { guardHandler.bytesArrived(context: guardContext) }
        context.fireChannelRead(data)
    }
}
