/// `http_config` (Prometheus' common HTTP client settings), the part the agent supports:
/// credentials read from files at each request (never from the config itself, so that they
/// appear neither in the config nor in logs), and the CA that signs the receiver's certificate.
public struct HTTPClientSettings: Sendable, Equatable {
    public enum Authentication: Sendable, Equatable {
        /// `basic_auth: {username, password_file}`.
        case basic(username: String, passwordFile: String)
        /// `authorization: {type, credentials_file}`; type defaults to Bearer.
        case authorization(type: String, credentialsFile: String)
    }

    public var authentication: Authentication?
    /// `tls_config.ca_file`: PEM certificates trusted instead of the system's.
    public var caFile: String?
    /// `tls_config.insecure_skip_verify`.
    public var insecureSkipVerify = false

    public init() {}
}
