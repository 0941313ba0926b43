import Logging
import NIOConcurrencyHelpers

/// nginx's `stub_status` page under nginx-prometheus-exporter's names, so that its dashboards
/// work: `nginx_connections_{active,reading,writing,waiting}`, the `accepted` and `handled`
/// counters, `nginx_http_requests_total`, and `nginx_up` (0 when the page cannot be read —
/// as the exporter, that is data, not a failed collector; the reason is logged when it
/// changes). Nothing without
/// `collectors.nginx.stub_status_url`.
public struct NginxCollector: Collector {
    public let name = "nginx"
    private let get: PlainHTTPGet?
    private let logger: Logger
    private let lastProblem = NIOLockedValueBox<String?>(nil)

    public init(settings: NginxSettings, timeout: Duration = .seconds(2), logger: Logger = Logger(label: "scalewatch")) {
        get = settings.stubStatusURL.map { PlainHTTPGet(url: $0, timeout: timeout) }
        self.logger = logger
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        guard let get else { return }
        let status: StubStatus
        do {
            status = try StubStatus.parse(try get.fetch(), source: get.url.description)
        } catch {
            metrics.gauge("nginx_up", Self.upHelp, 0)
            let problem = "\(error)"
            let changed = lastProblem.withLockedValue { last in
                defer { last = problem }
                return last != problem
            }
            if changed {
                logger.warning("nginx stub_status unreadable", metadata: ["error": "\(problem)"])
            }
            return
        }
        lastProblem.withLockedValue { $0 = nil }
        metrics.gauge("nginx_up", Self.upHelp, 1)
        metrics.counter("nginx_connections_accepted", "Accepted client connections", status.accepted)
        metrics.gauge("nginx_connections_active", "Active client connections", status.active)
        metrics.counter("nginx_connections_handled", "Handled client connections", status.handled)
        metrics.gauge("nginx_connections_reading", "Connections where NGINX is reading the request header", status.reading)
        metrics.gauge("nginx_connections_waiting", "Idle client connections", status.waiting)
        metrics.gauge("nginx_connections_writing", "Connections where NGINX is writing the response back to the client", status.writing)
        metrics.counter("nginx_http_requests_total", "Total http requests", status.requests)
    }

    static let upHelp = "Status of the last metric scrape"
}
