/// A web config file in the format of Prometheus' exporter-toolkit (`--web.config.file`,
/// `web.config_file`): TLS for the listener, headers added to every response, and the users
/// that basic authentication admits. Read by `WebConfigLoader`, kept current by
/// `WebConfigSource`.
public struct WebConfig: Sendable {
    /// Nil: plain HTTP. Set when any of `tls_server_config`'s certificate, key, client CA or
    /// client authentication keys is, as the toolkit decides.
    public var tls: TLSServerConfig?
    /// `http_server_config.headers`, sorted by name; only the toolkit's security headers.
    public var headers: [(name: String, value: String)] = []
    /// `http_server_config.http2`: accepted for compatibility; the agent speaks HTTP/1.1 only.
    public var http2 = true
    /// `basic_auth_users`: user name → bcrypt hash. Empty: no authentication.
    public var users: [String: BcryptHash] = [:]
    /// The certificate, key and CA files it names, as opened: watched with the file itself.
    public var files: [String] = []

    public init() {}

    /// No file: plain HTTP, no headers, everyone admitted.
    public static let none = WebConfig()
}
