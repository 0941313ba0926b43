import Testing
import TestSupport

@testable import ScaleAgent

/// The web config file as the toolkit defines it, and every mistake the loader reports, with
/// where. The certificates are test fixtures (Fixtures/webconfig: a CA whose key was thrown
/// away, a server and a client certificate it signed valid for 100 years, and an unrelated key).
@Suite struct WebConfigLoaderTests {
    static let directory = Fixtures.directory + "/webconfig"
    /// Not read: it names the directory that relative certificate names are resolved against.
    static let file = directory + "/web.yml"
    static let hash = "$2y$04$jrDAE56E.bokLTHwhL2JSenF7JFsi52XuAzc5tDalhdhugsdGyuJK"
    static let tls = "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"

    static func parse(_ text: String) throws(ConfigError) -> WebConfig {
        try WebConfigLoader.parse(text, file: file)
    }

    @Test func everyKeyTheToolkitDocuments() throws {
        let config = try Self.parse(
            """
            tls_server_config:
              cert_file: server.pem
              key_file: \(Self.directory)/server.key
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca.pem
              min_version: TLS13
              max_version: TLS13
              cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]
              curve_preferences: [X25519, CurveP256]
              prefer_server_cipher_suites: false
            http_server_config:
              http2: false
              headers:
                X-Frame-Options: sameorigin
                Content-Security-Policy: default-src 'self'
                X-XSS-Protection: ""
            basic_auth_users:
              alice: '\(Self.hash)'
              bob: \(Self.hash)

            """)
        let tls = try #require(config.tls)
        #expect(tls.clientAuth == .requireAndVerifyClientCert)
        #expect(tls.minimumVersion == .tlsv13 && tls.maximumVersion == .tlsv13)
        #expect(!config.http2)
        #expect(config.headers.map(\.name) == ["Content-Security-Policy", "X-Frame-Options"])
        #expect(config.headers.map(\.value) == ["default-src 'self'", "sameorigin"])
        #expect(config.users.keys.sorted() == ["alice", "bob"])
        #expect(config.files == [Self.directory + "/server.pem", Self.directory + "/server.key", Self.directory + "/ca.pem"])
    }

    @Test(arguments: ["", "# nothing\n", "tls_server_config:\nhttp_server_config:\nbasic_auth_users:\n", "tls_server_config: {}\n"])
    func emptyFilesAndSectionsMeanPlainHTTPForEveryone(_ text: String) throws {
        let config = try Self.parse(text)
        #expect(config.tls == nil && config.users.isEmpty && config.headers.isEmpty && config.http2)
    }

    @Test func inlineCertificateAndKey() throws {
        let cert = try FileReading.string(atPath: Self.directory + "/server.pem")
        let key = try FileReading.string(atPath: Self.directory + "/server.key")
        let indent = { (text: String) in text.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") }
        let config = try Self.parse("tls_server_config:\n  cert: |\n\(indent(cert))\n  key: |\n\(indent(key))\n")
        #expect(config.tls != nil)
        #expect(config.files.isEmpty)
    }

    @Test(arguments: [
        ("RequestClientCert", ClientAuthType.requestClientCert, false),
        ("RequireAnyClientCert", .requireAnyClientCert, false),
        ("RequireClientCert", .requireAnyClientCert, false),
        ("VerifyClientCertIfGiven", .verifyClientCertIfGiven, true),
        ("RequireAndVerifyClientCert", .requireAndVerifyClientCert, true),
        ("NoClientCert", .noClientCert, false),
    ])
    func clientAuthTypes(_ name: String, _ expected: ClientAuthType, _ withCA: Bool) throws {
        let config = try Self.parse(Self.tls + "  client_auth_type: \(name)\n" + (withCA ? "  client_ca_file: ca.pem\n" : ""))
        #expect(config.tls?.clientAuth == expected)
    }

    @Test func aClientAuthTypeAloneTurnsTLSOnAndAsksForTheCertificate() throws {
        #expect(throws: ConfigError(file: Self.file, line: 2, column: 3, "tls_server_config: missing one of cert or cert_file")) {
            try Self.parse("tls_server_config:\n  client_auth_type: RequestClientCert\n")
        }
    }

    static let f = file
    @Test(arguments: [
        ("nonsense: 1\n", "\(f):1:1: unknown key \"nonsense\" in the web config file; expected one of: tls_server_config, http_server_config, basic_auth_users, rate_limit"),
        ("rate_limit:\n  burst: 1\n", "\(f):1:1: rate_limit is not supported by scalewatch; limit request rates in a reverse proxy"),
        ("- a\n", "\(f):1:1: the web config file must be a mapping of keys to values, got a list"),
        (tls + "  certfile: x\n", "\(f):4:3: unknown key \"certfile\" in tls_server_config; expected one of: cert, key, client_ca, cert_file, key_file, client_auth_type, client_ca_file, client_allowed_sans, min_version, max_version, cipher_suites, prefer_server_cipher_suites, curve_preferences"),
        (tls + "  client_allowed_sans: [a]\n", "\(f):4:3: tls_server_config.client_allowed_sans is not supported by scalewatch; issue client certificates from a dedicated client CA instead"),
        (tls + "  cert: x\n", "\(f):4:3: tls_server_config: cert and cert_file are both set; use one"),
        ("tls_server_config:\n  cert_file: missing.pem\n  key_file: server.key\n", "\(f):2:14: tls_server_config.cert_file: cannot read \(WebConfigLoaderTests.directory)/missing.pem: No such file or directory"),
        ("tls_server_config:\n  key_file: server.key\n", "\(f):2:3: tls_server_config: missing one of cert or cert_file"),
        ("tls_server_config:\n  cert_file: server.pem\n", "\(f):2:3: tls_server_config: missing one of key or key_file"),
        (tls + "  client_auth_type: Required\n", "\(f):4:21: tls_server_config.client_auth_type must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert, got 'Required'"),
        (tls + "  client_ca_file: ca.pem\n", "\(f):4:19: tls_server_config: a client CA is configured without a client_auth_type that uses it"),
        (tls + "  client_auth_type: RequireAndVerifyClientCert\n", "\(f):4:21: tls_server_config: client_auth_type RequireAndVerifyClientCert needs client_ca_file (or client_ca)"),
        (tls + "  min_version: TLS1.2\n", "\(f):4:16: tls_server_config.min_version must be one of TLS10, TLS11, TLS12, TLS13, got 'TLS1.2'"),
        (tls + "  min_version: TLS13\n  max_version: TLS12\n", "\(f):5:16: tls_server_config: max_version is below min_version"),
        (tls + "  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n", "\(f):4:19: tls_server_config.cipher_suites: unknown cipher suite 'TLS_RSA_WITH_RC4_128_SHA'"),
        (tls + "  cipher_suites: TLS_AES_128_GCM_SHA256\n", "\(f):4:18: tls_server_config.cipher_suites must be a list of cipher suite names, got 'TLS_AES_128_GCM_SHA256'"),
        (tls + "  curve_preferences: [P256]\n", "\(f):4:23: tls_server_config.curve_preferences: unknown curve 'P256'; expected CurveP256, CurveP384, CurveP521 or X25519"),
        (tls + "  prefer_server_cipher_suites: maybe\n", "\(f):4:32: tls_server_config.prefer_server_cipher_suites must be true or false, got 'maybe'"),
        ("tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n", "\(f):2:14: tls_server_config: no PEM certificate found"),
        ("tls_server_config:\n  cert_file: server.pem\n  key_file: server.pem\n", "\(f):3:13: tls_server_config: the key is not a PEM private key"),
        ("tls_server_config:\n  cert_file: server.pem\n  key_file: other.key\n", "\(f):3:13: tls_server_config: the key and certificate do not go together"),
        (tls + "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: server.key\n", "\(f):5:19: tls_server_config: no PEM certificate in the client CA"),
        ("http_server_config:\n  headers:\n    Server: scalewatch\n", "\(f):3:5: unknown key \"Server\" in http_server_config.headers; expected one of: Content-Security-Policy, Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, X-XSS-Protection"),
        ("http_server_config:\n  headers:\n    X-Frame-Options: allow\n", "\(f):3:22: invalid value for X-Frame-Options: expected one of deny, sameorigin, got 'allow'"),
        ("http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n", "\(f):3:29: invalid value for X-Content-Type-Options: expected one of nosniff, got 'sniff'"),
        ("http_server_config:\n  http2: yes please\n", "\(f):2:10: http_server_config.http2 must be true or false, got 'yes please'"),
        ("http_server_config:\n  http3: true\n", "\(f):2:3: unknown key \"http3\" in http_server_config; expected one of: headers, http2"),
        ("basic_auth_users: [alice]\n", "\(f):1:19: basic_auth_users must be a mapping of user names to bcrypt hashes, got a list"),
        ("basic_auth_users:\n  alice: secret\n", "\(f):2:10: basic_auth_users.alice: not a bcrypt hash (expected 60 characters such as $2y$10$ followed by 53 of salt and hash)"),
        ("basic_auth_users:\n  alice: [a]\n", "\(f):2:10: basic_auth_users.alice must be a string, got a list"),
        ("basic_auth_users:\n  [a]: x\n", "\(f):2:3: user names in basic_auth_users must be strings, got a list"),
    ])
    func refused(_ text: String, _ expected: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func aHashIsNeverRepeatedInAnError() {
        let secretish = "$2x$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi"
        do {
            _ = try Self.parse("basic_auth_users:\n  alice: '\(secretish)'\n")
            Issue.record("accepted")
        } catch {
            #expect(error.description == "\(Self.file):2:10: basic_auth_users.alice: bcrypt version $2x$ is not supported (use $2y$, $2b$ or $2a$)")
        }
    }

    @Test func anUnreadableFileIsAnErrorNamingIt() {
        #expect(throws: ConfigError(file: "/nonexistent/web.yml", line: 0, column: 0, "cannot read the web config file: /nonexistent/web.yml: No such file or directory")) {
            try WebConfigLoader.load(file: "/nonexistent/web.yml")
        }
    }

    @Test func checkWebConfigSaysWhatTheFileConfigures() throws {
        let directory = TestDirectory(prefix: "WebConfigLoaderTests")
        defer { directory.remove() }
        let path = try directory.write(
            "web.yml",
            "tls_server_config:\n  cert_file: \(Self.directory)/server.pem\n  key_file: \(Self.directory)/server.key\n"
                + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: \(Self.directory)/ca.pem\n"
                + "basic_auth_users:\n  alice: '\(Self.hash)'\n")
        #expect(try WebConfigCheck.check(file: path).get() == "SUCCESS: \(path) is valid (TLS, RequireAndVerifyClientCert, 1 user)")
        let plain = try directory.write("plain.yml", "http_server_config:\n  headers:\n    X-Frame-Options: deny\n")
        #expect(try WebConfigCheck.check(file: plain).get() == "SUCCESS: \(plain) is valid (no TLS, no basic auth, 1 header)")
    }
}
