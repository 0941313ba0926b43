import NIOCore
import NIOSSL

/// `tls_server_config`, loaded: the certificate and key read and checked against each other,
/// the client CA read, all of it compiled into one NIOSSL context that every new connection
/// shares until the file (or a file it names) changes.
public struct TLSServerConfig: Sendable {
    public let clientAuth: ClientAuthType
    public let minimumVersion: TLSVersion
    public let maximumVersion: TLSVersion
    let context: NIOSSLContext

    init(configuration: TLSConfiguration, clientAuth: ClientAuthType) throws {
        self.clientAuth = clientAuth
        self.minimumVersion = configuration.minimumTLSVersion
        self.maximumVersion = configuration.maximumTLSVersion ?? .tlsv13
        self.context = try NIOSSLContext(configuration: configuration)
    }

    /// The handler that speaks TLS on one new connection. `RequestClientCert` and
    /// `RequireAnyClientCert` take any certificate, as Go's server does for them: BoringSSL is
    /// told to ask for one (optionally or not) and the callback accepts whatever comes.
    func makeHandler() -> NIOSSLServerHandler {
        switch clientAuth {
        case .requestClientCert, .requireAnyClientCert:
            NIOSSLServerHandler(context: context, customVerificationCallback: { _, promise in promise.succeed(.certificateVerified) })
        case .noClientCert, .verifyClientCertIfGiven, .requireAndVerifyClientCert:
            NIOSSLServerHandler(context: context)
        }
    }

    /// BoringSSL's verification mode for each policy (the custom callback above completes the
    /// two that take any certificate).
    static func verification(for clientAuth: ClientAuthType) -> CertificateVerification {
        switch clientAuth {
        case .noClientCert: .none
        case .requestClientCert, .verifyClientCertIfGiven: .optionalVerification
        case .requireAnyClientCert, .requireAndVerifyClientCert: .noHostnameVerification
        }
    }
}
