import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The agent's endpoints: `/metrics`, `/-/healthy`, `/-/ready` and a landing page.
public struct AgentRoutes: HTTPResponder {
    let snapshots: SnapshotSource
    /// Read per request so that a config reload takes effect at once.
    let scrapeMaxAge: @Sendable () -> Duration
    let requests: HTTPRequestCounter

    public init(snapshots: SnapshotSource, requests: HTTPRequestCounter, scrapeMaxAge: @escaping @Sendable () -> Duration) {
        self.snapshots = snapshots
        self.requests = requests
        self.scrapeMaxAge = scrapeMaxAge
    }

    public func respond(to request: HTTPRequestHead, on eventLoop: any EventLoop) -> EventLoopFuture<HTTPResponse> {
        let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let handler: String
        let future: EventLoopFuture<HTTPResponse>
        if request.method != .GET && request.method != .HEAD {
            handler = "other"
            future = eventLoop.makeSucceededFuture(
                HTTPResponse(status: .methodNotAllowed, headers: ["Allow": "GET, HEAD"], body: ByteBuffer(string: "method not allowed\n")))
        } else {
            switch path {
            case "/metrics":
                handler = "/metrics"
                future = metrics(request, on: eventLoop)
            case "/-/healthy":
                handler = "/-/healthy"
                future = eventLoop.makeSucceededFuture(.text(.ok, "scalewatch is Healthy.\n"))
            case "/-/ready":
                handler = "/-/ready"
                let ready = snapshots.latest != nil
                future = eventLoop.makeSucceededFuture(
                    ready ? .text(.ok, "scalewatch is Ready.\n") : .text(.serviceUnavailable, "scalewatch is not ready yet.\n"))
            case "/":
                handler = "/"
                future = eventLoop.makeSucceededFuture(
                    HTTPResponse(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: LandingPage.body))
            default:
                handler = "other"
                future = eventLoop.makeSucceededFuture(.text(.notFound, "not found\n"))
            }
        }
        let requests = self.requests
        return future.map { response in
            requests.record(handler: handler, code: response.status.code)
            return response
        }
    }

    private func metrics(_ request: HTTPRequestHead, on eventLoop: any EventLoop) -> EventLoopFuture<HTTPResponse> {
        let format = ExpositionFormat.negotiate(accept: request.headers.first(name: "Accept"))
        let gzip = Self.acceptsGzip(request.headers)
        // The common case under load: a fresh snapshot whose body is already rendered is sent
        // straight from the event loop, without a hop to the concurrency pool.
        if let snapshot = snapshots.fresh(maxAge: scrapeMaxAge()) {
            return eventLoop.makeSucceededFuture(Self.response(snapshot, format: format, gzip: gzip))
        }
        let snapshots = self.snapshots
        let maxAge = scrapeMaxAge()
        return eventLoop.makeFutureWithTask {
            Self.response(await snapshots.snapshot(maxAge: maxAge), format: format, gzip: gzip)
        }
    }

    private static func response(_ snapshot: MetricsSnapshot, format: ExpositionFormat, gzip: Bool) -> HTTPResponse {
        let body = snapshot.body(format: format, gzip: gzip)
        var headers: HTTPHeaders = ["Content-Type": format.contentType, "Vary": "Accept, Accept-Encoding"]
        if body.isGzipped { headers.add(name: "Content-Encoding", value: "gzip") }
        return HTTPResponse(status: .ok, headers: headers, body: body.bytes)
    }

    static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        for value in headers[canonicalForm: "Accept-Encoding"] {
            let parts = value.split(separator: ";").map { Substring($0.trimmingSpaces().lowercased()) }
            guard parts.first == "gzip" else { continue }
            let refused = parts.dropFirst().contains { parameter in
                parameter.hasPrefix("q=") && Double(parameter.dropFirst(2).trimmingSpaces()) == 0
            }
            if !refused { return true }
        }
        return false
    }
}

/// Requests served, by handler and status code, for `scalewatch_http_requests_total`.
public final class HTTPRequestCounter: Sendable {
    private struct Key: Hashable {
        let handler: String
        let code: UInt
    }
    // The scrape endpoint's success series exists from the start, so that the family is
    // present in every snapshot and rate() over it has a zero to start from.
    private let counts = NIOLockedValueBox<[Key: Int]>([Key(handler: "/metrics", code: 200): 0])

    public init() {}

    func record(handler: String, code: UInt) {
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
