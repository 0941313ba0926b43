/// `tls_server_config.client_auth_type`: Go's `tls.ClientAuthType` by its name, which is what
/// the toolkit's file holds. Only `requireAndVerifyClientCert` authenticates a client; the
/// others are as weak as their Go namesakes (the toolkit's documentation says so too).
public enum ClientAuthType: String, Sendable, CaseIterable {
    case noClientCert = "NoClientCert"
    /// Asks for a certificate, accepts the connection without one or with any.
    case requestClientCert = "RequestClientCert"
    /// Requires a certificate, does not verify it.
    case requireAnyClientCert = "RequireAnyClientCert"
    /// Verifies a certificate against the client CA when one is sent.
    case verifyClientCertIfGiven = "VerifyClientCertIfGiven"
    case requireAndVerifyClientCert = "RequireAndVerifyClientCert"

    /// The file's spelling; the empty string and the toolkit's old `RequireClientCert` included.
    init?(fileValue: String) {
        switch fileValue {
        case "": self = .noClientCert
        case "RequireClientCert": self = .requireAnyClientCert
        default: self.init(rawValue: fileValue)
        }
    }

    /// Whether a client CA is needed to decide (and, for the toolkit, allowed at all).
    var verifiesCertificates: Bool {
        self == .verifyClientCertIfGiven || self == .requireAndVerifyClientCert
    }
}
