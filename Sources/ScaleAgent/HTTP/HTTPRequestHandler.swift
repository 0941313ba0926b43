import NIOCore
import NIOHTTP1

/// Reads one request at a time from the HTTP/1.1 pipeline and writes the responder's answer.
/// Request bodies are discarded (no endpoint takes one yet) but bounded: a client may not
/// stream an endless body into the agent.
final class HTTPRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maximumBodyBytes = 1 << 20

    private let responder: any HTTPResponder
    private var head: HTTPRequestHead?
    private var bodyBytes = 0

    init(responder: any HTTPResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            bodyBytes = 0
        case .body(let chunk):
            bodyBytes += chunk.readableBytes
        case .end:
            guard let head else { return }
            self.head = nil
            if bodyBytes > Self.maximumBodyBytes {
                write(.text(.payloadTooLarge, "request body too large\n"), for: head, keepAlive: false, context: context)
                return
            }
            let keepAlive = head.isKeepAlive
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            responder.respond(to: head, on: context.eventLoop).whenComplete { result in
                let (handler, context) = loopBound.value
                let response = (try? result.get()) ?? .text(.internalServerError, "internal error\n")
                handler.write(response, for: head, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func write(_ response: HTTPResponse, for request: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Malformed HTTP from a client: nothing sensible can be answered on this connection.
        context.close(promise: nil)
    }
}
