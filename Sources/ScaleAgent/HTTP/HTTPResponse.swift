import NIOCore
import NIOHTTP1

/// A complete response: the server sends small bodies in one write.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func text(_ status: HTTPResponseStatus, _ text: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: ByteBuffer(string: text))
    }
}

/// What the server asks of the application: an answer for each request, possibly later.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequestHead, on eventLoop: any EventLoop) -> EventLoopFuture<HTTPResponse>
}
