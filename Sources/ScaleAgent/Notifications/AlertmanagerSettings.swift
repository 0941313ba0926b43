/// One entry of `alerting.alertmanagers`, as `prometheus.yml` writes it: Alertmanagers listed
/// in `static_configs`, reached with `scheme` under `path_prefix`, each request bounded by
/// `timeout`; credentials and TLS inline (`basic_auth`, `authorization`, `tls_config`).
public struct AlertmanagerSettings: Sendable, Equatable {
    public var targets: [String] = []
    public var scheme = "http"
    public var pathPrefix = "/"
    /// Prometheus' default.
    public var timeout: Duration = .seconds(10)
    public var http = HTTPClientSettings()

    public init() {}

    /// `POST` URLs of Alertmanager's v2 API, one per target.
    var alertsURLs: [String] {
        var prefix = pathPrefix.hasPrefix("/") ? pathPrefix : "/" + pathPrefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return targets.map { "\(scheme)://\($0)\(prefix)/api/v2/alerts" }
    }

    /// What the sender takes for one target.
    var endpoints: [WebhookSettings] {
        alertsURLs.map { url in
            var endpoint = WebhookSettings(url: url)
            endpoint.http = http
            endpoint.timeout = timeout
            return endpoint
        }
    }
}
