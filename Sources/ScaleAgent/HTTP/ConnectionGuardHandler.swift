import NIOCore
import NIOHTTP1

/// Keeps one connection within the HTTP layer's limits: registers it under the connection
/// limit (closing it at once when refused), closes it when a request takes longer than the read
/// timeout to arrive or when it idles past the idle timeout (`ConnectionReadState`), and counts
/// the 400 that the connection answers itself when NIO's decoder refuses a request head.
///
/// It sits right after NIO's HTTP/1 decoder, where request and response boundaries are seen; the first
/// byte of each request reaches it from `RequestStartHandler`, at the front of the pipeline,
/// since a head that never completes never reaches the codec's output.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connections: HTTPConnectionTable
    private let requests: HTTPRequestCounter
    private var state: ConnectionReadState
    private var id: Int?
    private var started = false
    private var timer: (at: NIODeadline, task: Scheduled<Void>)?
    private var countedBadRequest = false

    init(connections: HTTPConnectionTable, requests: HTTPRequestCounter, readTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.connections = connections
        self.requests = requests
        self.state = ConnectionReadState(now: .now(), readTimeout: readTimeout, idleTimeout: idleTimeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        state = ConnectionReadState(now: .now(), readTimeout: state.readTimeout, idleTimeout: state.idleTimeout)
        guard let id = connections.admit(context.channel) else {
            context.close(promise: nil)
            return
        }
        self.id = id
        changed(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish(reason: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(reason: nil)
        context.fireChannelInactive()
    }

    private func finish(reason: HTTPConnectionTable.CloseReason?) {
        timer?.task.cancel()
        timer = nil
        if let id { connections.remove(id, reason: reason) }
        id = nil
    }

    /// Called by `RequestStartHandler` for every read of raw bytes.
    func bytesArrived(context: ChannelHandlerContext) {
        guard state.readingSince == nil else { return }
        state.bytesArrived(now: .now())
        changed(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            state.headArrived(now: .now())
            changed(context: context)
        case .body:
            break
        case .end:
            state.requestEnded()
            changed(context: context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            state.responseEnded(now: .now())
            changed(context: context)
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Hummingbird answers a parse error with 400 and closes, outside the router, where
        // nothing counts it; once per connection, as it answers once.
        if error is HTTPParserError, !countedBadRequest {
            countedBadRequest = true
            requests.record(handler: "other", code: 400)
        }
        context.fireErrorCaught(error)
    }

    /// After every event: tells the table whether the connection can make room, and moves the
    /// timer to the new deadline (a later deadline is found when the earlier timer fires).
    private func changed(context: ChannelHandlerContext) {
        guard let id else { return }
        connections.update(id, evictable: state.isEvictable, waitingSince: state.waitingSince)
        guard let deadline = state.deadline?.at else {
            timer?.task.cancel()
            timer = nil
            return
        }
        if let timer, timer.at <= deadline { return }
        timer?.task.cancel()
        schedule(at: deadline, context: context)
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            handler.deadlineReached(context: context)
        }
        timer = (deadline, task)
    }

    private func deadlineReached(context: ChannelHandlerContext) {
        guard id != nil, let (at, timeout) = state.deadline else { return }
        guard at <= .now() else {
            schedule(at: at, context: context)
            return
        }
        finish(reason: timeout == .read ? .readTimeout : .idleTimeout)
        context.close(promise: nil)
    }
}
