import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import ScaleAgent

/// Each `client_auth_type` against a real TLS client: with no certificate, one the client CA
/// signed, and a self-signed stranger. A connection counts as admitted when `/-/healthy`
/// answers 200 over it.
@Suite struct ClientCertificateTests {
    enum Presented: String, CustomStringConvertible {
        case none, signed = "client", stranger
        var description: String { rawValue }
    }

    static let fixtures = Fixtures.directory + "/webconfig"

    @Test(arguments: [
        (ClientAuthType.noClientCert, Presented.none, true),
        (.noClientCert, .stranger, true),
        (.requestClientCert, .none, true),
        (.requestClientCert, .stranger, true),
        (.requireAnyClientCert, .none, false),
        (.requireAnyClientCert, .stranger, true),
        (.verifyClientCertIfGiven, .none, true),
        (.verifyClientCertIfGiven, .signed, true),
        (.verifyClientCertIfGiven, .stranger, false),
        (.requireAndVerifyClientCert, .none, false),
        (.requireAndVerifyClientCert, .signed, true),
        (.requireAndVerifyClientCert, .stranger, false),
    ])
    func policy(_ clientAuth: ClientAuthType, _ presented: Presented, _ admitted: Bool) async throws {
        let ca = clientAuth == .noClientCert ? "" : "  client_ca_file: ca.pem\n"
        let config = try WebConfigLoader.parse(
            "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: \(clientAuth.rawValue)\n" + ca,
            file: Self.fixtures + "/web.yml")
        let security = WebSecurityCounters()
        try await ServerUnderTest.with(webConfig: config, security: security) { server in
            let answer = await Self.healthy(port: server.port, presenting: presented)
            #expect(answer.hasPrefix("HTTP/1.1 200") == admitted, "\(answer)")
        }
        if !admitted {
            #expect(security.tlsFailures(.handshake) == 1)
        }
    }

    /// The answer to `GET /-/healthy` over TLS, or why there was none.
    static func healthy(port: Int, presenting presented: Presented) async -> String {
        do {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(fixtures + "/ca.pem"))
            if presented != .none {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(fixtures + "/\(presented.rawValue).pem").map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: fixtures + "/\(presented.rawValue).key", format: .pem))
            }
            let context = try NIOSSLContext(configuration: tls)
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                var received = ByteBuffer()
                for try await var chunk in inbound { received.writeBuffer(&chunk) }
                return String(buffer: received)
            }
        } catch {
            return "no answer: \(error)"
        }
    }
}
