import Hummingbird
import NIOHTTP1

/// The one place where errors become responses. Handlers and middleware below it refuse a
/// request by throwing Hummingbird's `HTTPError` (status, headers, a message for the client);
/// it is answered here as plain text. Anything else thrown is a bug or an internal failure:
/// logged with its details and answered 500 without them. A malformed request (NIO's
/// `HTTPParserError`, met while reading a body) goes on to the connection, which answers 400
/// and closes: nothing more can be read from it.
struct ErrorResponseMiddleware: RouterMiddleware {
    typealias Context = AgentRequestContext

    func handle(
        _ request: Request, context: AgentRequestContext, next: (Request, AgentRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPParserError {
            throw error
        } catch {
            if !(error is any HTTPResponseError) {
                context.logger.error(
                    "HTTP request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return Self.response(to: error)
        }
    }

    static func response(to error: any Error) -> Response {
        switch error {
        case let error as HTTPError:
            return .text(error.status, (error.body ?? error.status.reasonPhrase.lowercased()) + "\n", headers: error.headers)
        case let error as any HTTPResponseError:
            return .text(error.status, error.status.reasonPhrase.lowercased() + "\n")
        default:
            return .text(.internalServerError, "internal server error\n")
        }
    }
}
