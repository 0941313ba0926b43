import Hummingbird
import NIOConcurrencyHelpers

/// Requests served, by handler and status code, for `scalewatch_http_requests_total`.
public final class HTTPRequestCounter: Sendable {
    private struct Key: Hashable {
        let handler: String
        let code: Int
    }
    // The scrape endpoint's success series exists from the start, so that the family is
    // present in every snapshot and rate() over it has a zero to start from.
    private let counts = NIOLockedValueBox<[Key: Int]>([Key(handler: "/metrics", code: 200): 0])

    public init() {}

    func record(handler: String, code: Int) {
        counts.withLockedValue { $0[Key(handler: handler, code: code), default: 0] += 1 }
    }

    public func report(into metrics: inout MetricsBuilder) {
        for (key, count) in counts.withLockedValue({ $0 }) {
            metrics.counter(
                "scalewatch_http_requests_total", "HTTP requests served, by handler and status code.", Double(count),
                ["handler": key.handler, "code": String(key.code)])
        }
    }
}

/// Counts every answer, refusals included, under the route pattern that matched
/// (`/metrics`, `/-/reload`), or `other` when no route did: unknown paths and methods a route
/// does not answer, so that the label's values stay the route table's.
struct RequestCountingMiddleware: RouterMiddleware {
    typealias Context = AgentRequestContext
    let requests: HTTPRequestCounter

    func handle(
        _ request: Request, context: AgentRequestContext, next: (Request, AgentRequestContext) async throws -> Response
    ) async throws -> Response {
        let response = try await next(request, context)
        // The router names the route it dispatched to; its own 404 is "NotFound".
        let handler = context.endpointPath.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "other"
        requests.record(handler: handler, code: response.status.code)
        return response
    }
}
