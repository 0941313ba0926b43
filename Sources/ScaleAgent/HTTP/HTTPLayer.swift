import Hummingbird
import HummingbirdCore
import NIOCore

/// The agent's HTTP layer, assembled in one place from the web settings: the transport each
/// listener speaks and the chain every request goes through. Issue 12's TLS and basic
/// authentication plug in here, and only here: TLS around the transport (`server(web:)`), an
/// authentication middleware at the marked place in the chain (`responder(web:…)`).
enum HTTPLayer {
    /// The most of a request body that is read (`AgentRequestContext.maxUploadSize`); no
    /// endpoint takes more, and the query API's form bodies fit easily.
    static let maximumBodyBytes = 1 << 20

    /// NIO's HTTP/1 decoder answers 400 and closes the connection when a request goes beyond
    /// these. The request line counts as a field, so the URI is bounded by the field size and
    /// the whole head (request line and headers) by the list size. (Go's server, Prometheus',
    /// allows a 1 MiB head; a query in a URI needs far less, and long queries are POSTed.)
    static let decoderLimits = HTTP1Channel.Configuration.DecoderConfiguration(
        maxHeaderFieldSize: 64 << 10, maxHeaderListSize: 64 << 10, maxHeaderFieldCount: 100)

    /// A connection that sends nothing for this long is closed: as Prometheus'
    /// `--web.read-timeout` default, long enough for any scrape interval's keep-alive.
    static let idleTimeout: TimeAmount = .minutes(5)

    /// The transport: plain HTTP/1.1. (Issue 12: with TLS configured in `web`, HummingbirdTLS'
    /// `.tls(.http1(…), tlsConfiguration:)` wraps this same builder.)
    static func server(web: WebSettings) -> HTTPServerBuilder {
        .http1(configuration: HTTP1Channel.Configuration(idleTimeout: idleTimeout, httpDecoderConfiguration: decoderLimits))
    }

    /// The chain, outermost first, then the route table:
    ///
    ///     request counting → error responses → (authentication, issue 12) → method check
    ///       → body limit → route
    ///
    /// Authentication goes after the counter and the error mapping, so that its refusals are
    /// counted and answered like any other, and before anything that reads the request.
    static func responder(
        web: WebSettings, endpoints: AgentEndpoints, requests: HTTPRequestCounter
    ) -> RouterResponder<AgentRequestContext> {
        let routes = endpoints.routes(web: web)
        let router = Router(context: AgentRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestCountingMiddleware(requests: requests))
        router.add(middleware: ErrorResponseMiddleware())
        router.add(middleware: MethodCheckMiddleware(routes: routes))
        router.add(middleware: RequestBodyLimitMiddleware())
        for route in routes {
            for method in route.methods {
                router.on(RouterPath(route.path), method: method, use: route.handler)
            }
        }
        return router.buildResponder()
    }
}
