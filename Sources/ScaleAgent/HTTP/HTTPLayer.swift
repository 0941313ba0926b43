import Hummingbird
import HummingbirdCore
import NIOCore

/// The agent's HTTP layer, assembled in one place from the web settings: the transport each
/// listener speaks and the chain every request goes through. The web config file's TLS and
/// basic authentication plug in here, and only here: TLS in front of each connection
/// (`server(web:…)`), authentication and headers in the chain (`responder(web:…)`).
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

    /// A connection with nothing to read and nothing being answered is closed after this long:
    /// as Prometheus' `--web.read-timeout` default, long enough for any scrape interval's
    /// keep-alive.
    static let idleTimeout: TimeAmount = .minutes(5)

    /// A request (head and body) must arrive whole within this long of its first byte, so that
    /// a client trickling bytes (slowloris) cannot hold a connection. A scraper's GET or a
    /// query's form arrives in milliseconds; even the largest body (1 MiB) needs only 70 KB/s.
    static let readTimeout: TimeAmount = .seconds(15)

    /// The transport: HTTP/1.1, each connection under `connections`' limit and the read
    /// and idle timeouts (`GuardedHTTP1Channel`; Hummingbird's own idle timer is not used, as
    /// it starts at a decoded head, which a slow client never completes). When the web config
    /// file in force at a connection's arrival has TLS, that connection speaks TLS first: a
    /// renewed certificate, or TLS turned on or off, applies from the next connection without
    /// binding again.
    static func server(
        web: WebSettings, connections: HTTPConnectionTable, requests: HTTPRequestCounter, protection: WebProtection
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                http1: HTTP1Channel(
                    responder: responder, configuration: HTTP1Channel.Configuration(httpDecoderConfiguration: decoderLimits)),
                connections: connections, requests: requests, readTimeout: readTimeout, idleTimeout: idleTimeout,
                protection: protection)
        }
    }

    /// The chain, outermost first, then the route table:
    ///
    ///     request counting → web config (authentication, headers) → error responses
    ///       → method check → body limit → route
    ///
    /// Authentication goes after the counter, so that its refusals are counted like any other
    /// answer, and before anything that reads the request; outside the error mapping, so that
    /// the file's headers go on error answers too.
    static func responder(
        web: WebSettings, endpoints: AgentEndpoints, requests: HTTPRequestCounter, protection: WebProtection
    ) -> RouterResponder<AgentRequestContext> {
        let routes = endpoints.routes(web: web)
        let router = Router(context: AgentRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestCountingMiddleware(requests: requests))
        router.add(
            middleware: WebConfigMiddleware(source: protection.source, verifier: protection.verifier, counters: protection.counters))
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
