import NIOSSL
import PostgresNIO

extension PostgresProblem {
    /// A TLS failure in an operator's words: BoringSSL's own text names a source file of the
    /// build machine and an error number, but not what to fix.
    static func tlsExplanation(_ error: PSQLError, sslMode: String) -> String? {
        if error.code == .sslUnsupported {
            return "the server does not accept TLS connections, and sslmode \(sslMode) requires TLS"
        }
        guard let underlying = error.underlying else { return nil }
        if let extra = underlying as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "TLS: the server's certificate does not name this host (sslmode \(sslMode) checks the host name)"
        }
        guard let ssl = underlying as? NIOSSLError, case .handshakeFailed(let boring) = ssl else { return nil }
        let detail = String(describing: boring)
        let reason = Self.openSSLReason(in: detail)
        switch reason {
        case "CERTIFICATE_VERIFY_FAILED":
            return "TLS: the server's certificate is not signed by a trusted CA (sslmode \(sslMode); set sslrootcert to the CA that signed it)"
        case .some(let reason):
            return "TLS handshake failed: \(reason)"
        case nil:
            return "TLS handshake failed: \(detail)"
        }
    }

    /// `…:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at …` → `CERTIFICATE_VERIFY_FAILED`.
    static func openSSLReason(in text: String) -> String? {
        guard let marker = text.range(of: "OPENSSL_internal:") else { return nil }
        let reason = text[marker.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
        return reason.isEmpty ? nil : String(reason)
    }
}
