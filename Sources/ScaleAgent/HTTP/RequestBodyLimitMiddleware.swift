import Hummingbird

/// Reads every request body before its handler, up to `context.maxUploadSize`, so that no
/// handler sees an unbounded one. A larger body, declared (`Content-Length`) or streamed, is
/// answered 413 without buffering more of it; the server then reads and discards the rest, so
/// that the connection stays usable for the client's next request.
struct RequestBodyLimitMiddleware: RouterMiddleware {
    typealias Context = AgentRequestContext

    func handle(
        _ request: Request, context: AgentRequestContext, next: (Request, AgentRequestContext) async throws -> Response
    ) async throws -> Response {
        let maximumBytes = context.maxUploadSize
        var request = request
        do {
            if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maximumBytes {
                throw HTTPError(.contentTooLarge)
            }
            _ = try await request.collectBody(upTo: maximumBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HTTPError(.contentTooLarge, message: "request body larger than \(maximumBytes) bytes")
        }
        return try await next(request, context)
    }
}
