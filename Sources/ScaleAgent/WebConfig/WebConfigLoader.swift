import MetricStore
import NIOSSL
import Yams

/// Reads a web config file as the toolkit's strict YAML does: unknown keys, wrong types and
/// impossible values are refused with file, line and column, and so are certificates, keys
/// and client CAs that cannot be read or do not fit together, so that `scalewatch check
/// web-config` says all the agent would. Relative file names are relative to the web config
/// file's directory, as in the toolkit.
public enum WebConfigLoader {
    static let maximumFileBytes = 1 << 20

    public static func load(file: String) throws(ConfigError) -> WebConfig {
        let text: String
        do {
            text = try FileReading.string(atPath: file, maximumBytes: maximumFileBytes)
        } catch {
            throw ConfigError(file: file, line: 0, column: 0, "cannot read the web config file: \(error)")
        }
        return try parse(text, file: file)
    }

    static let topKeys = ["tls_server_config", "http_server_config", "basic_auth_users", "rate_limit"]
    static let tlsKeys = [
        "cert", "key", "client_ca", "cert_file", "key_file", "client_auth_type", "client_ca_file", "client_allowed_sans",
        "min_version", "max_version", "cipher_suites", "prefer_server_cipher_suites", "curve_preferences",
    ]
    static let httpKeys = ["headers", "http2"]

    /// The toolkit's headers; those with values listed accept only them.
    static let headers: [String: [String]] = [
        "Strict-Transport-Security": [], "X-Content-Type-Options": ["nosniff"], "X-Frame-Options": ["deny", "sameorigin"],
        "X-XSS-Protection": [], "Content-Security-Policy": [],
    ]

    public static func parse(_ text: String, file: String) throws(ConfigError) -> WebConfig {
        let reader = YAMLReader(file: file, text: text)
        var config = WebConfig()
        guard let root = try reader.compose(), !reader.located.isNull(root) else { return config }
        let directory = file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) : "."
        for (key, keyNode, value) in try reader.mapping(root, in: "the web config file", allowed: topKeys) {
            if reader.located.isNull(value) { continue }
            switch key {
            case "tls_server_config":
                config.tls = try parseTLS(value, reader, directory: directory, files: &config.files)
            case "http_server_config":
                try parseHTTP(value, reader, into: &config)
            case "basic_auth_users":
                config.users = try parseUsers(value, reader)
            case "rate_limit":
                throw reader.error(at: keyNode, "rate_limit is not supported by scalewatch; limit request rates in a reverse proxy")
            default:
                preconditionFailure("BUG: key \(key) allowed but not handled")
            }
        }
        return config
    }

    private static func parseUsers(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> [String: BcryptHash] {
        guard case .mapping(let mapping) = node else {
            throw reader.error(at: node, "basic_auth_users must be a mapping of user names to bcrypt hashes, got \(reader.describe(node))")
        }
        var users: [String: BcryptHash] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let name) = keyNode else {
                throw reader.error(at: keyNode, "user names in basic_auth_users must be strings, got \(reader.describe(keyNode))")
            }
            let text = try reader.string(value, "basic_auth_users.\(name.string)")
            switch BcryptHash.parse(text) {
            case .success(let hash):
                guard users.updateValue(hash, forKey: name.string) == nil else {
                    throw reader.error(at: keyNode, "user \"\(EchoedValue(name.string))\" appears twice in basic_auth_users")
                }
            case .failure(let problem):
                throw reader.error(at: value, "basic_auth_users.\(EchoedValue(name.string)): \(problem)")
            }
        }
        return users
    }

    private static func parseHTTP(_ node: Node, _ reader: YAMLReader, into config: inout WebConfig) throws(ConfigError) {
        for (key, _, value) in try reader.mapping(node, in: "http_server_config", allowed: httpKeys) {
            switch key {
            case "http2":
                config.http2 = try reader.bool(value, "http_server_config.http2")
            case "headers":
                if reader.located.isNull(value) { continue }
                let entries = try reader.mapping(value, in: "http_server_config.headers", allowed: headers.keys.sorted())
                for (name, _, headerValue) in entries {
                    let text = try reader.string(headerValue, "http_server_config.headers.\(name)")
                    if let allowed = headers[name], !allowed.isEmpty, !allowed.contains(text) {
                        throw reader.error(
                            at: headerValue,
                            "invalid value for \(name): expected one of \(allowed.joined(separator: ", ")), got '\(EchoedValue(text))'")
                    }
                    // Blank means unset, as in the toolkit.
                    if !text.isEmpty { config.headers.append((name, text)) }
                }
                config.headers.sort { $0.name < $1.name }
            default:
                preconditionFailure("BUG: key http_server_config.\(key) allowed but not handled")
            }
        }
    }

    /// The TLS section's text, before anything is read from disk.
    private struct TLSText {
        var cert: (pem: String, node: Node)?
        var key: (pem: String, node: Node)?
        var clientCA: (pem: String, node: Node)?
        var clientAuth = ClientAuthType.noClientCert
        var clientAuthNode: Node?
        var minimum = TLSVersion.tlsv12
        var maximum = TLSVersion.tlsv13
        var maximumNode: Node?
        var ciphers: [NIOTLSCipher] = []
        var curves: [NIOTLSCurve] = []
    }

    private static func parseTLS(
        _ node: Node, _ reader: YAMLReader, directory: String, files: inout [String]
    ) throws(ConfigError) -> TLSServerConfig? {
        var text = TLSText()
        var enabled = false
        for (key, keyNode, value) in try reader.mapping(node, in: "tls_server_config", allowed: tlsKeys) {
            let qualified = "tls_server_config.\(key)"
            switch key {
            case "cert", "key", "client_ca", "cert_file", "key_file", "client_ca_file":
                let string = try reader.string(value, qualified)
                guard !string.isEmpty else { continue }
                enabled = true
                let isFile = key.hasSuffix("_file")
                let pem: String
                if isFile {
                    let path = string.hasPrefix("/") ? string : "\(directory)/\(string)"
                    do {
                        pem = try FileReading.string(atPath: path, maximumBytes: maximumFileBytes)
                    } catch {
                        throw reader.error(at: value, "\(qualified): cannot read \(error)")
                    }
                    files.append(path)
                } else {
                    pem = string
                }
                let base = isFile ? String(key.dropLast(5)) : key
                let slot: WritableKeyPath<TLSText, (pem: String, node: Node)?> =
                    base == "cert" ? \.cert : base == "key" ? \.key : \.clientCA
                guard text[keyPath: slot] == nil else {
                    throw reader.error(at: keyNode, "tls_server_config: \(base) and \(base)_file are both set; use one")
                }
                text[keyPath: slot] = (pem, value)
            case "client_auth_type":
                let string = try reader.string(value, qualified)
                guard let type = ClientAuthType(fileValue: string) else {
                    throw reader.error(
                        at: value,
                        "\(qualified) must be one of \(ClientAuthType.allCases.map(\.rawValue).joined(separator: ", ")), got '\(EchoedValue(string))'")
                }
                if !string.isEmpty { enabled = true }
                text.clientAuth = type
                text.clientAuthNode = value
            case "min_version", "max_version":
                let string = try reader.string(value, qualified)
                guard let version = TLSNames.versions[string] else {
                    throw reader.error(at: value, "\(qualified) must be one of TLS10, TLS11, TLS12, TLS13, got '\(EchoedValue(string))'")
                }
                if key == "min_version" { text.minimum = version } else { (text.maximum, text.maximumNode) = (version, value) }
            case "cipher_suites":
                for item in try reader.list(value, qualified, of: "cipher suite names") {
                    let name = try reader.string(item, "\(qualified) items")
                    guard let cipher = TLSNames.cipherSuites[name] else {
                        throw reader.error(at: item, "\(qualified): unknown cipher suite '\(EchoedValue(name))'")
                    }
                    text.ciphers.append(cipher)
                }
            case "curve_preferences":
                for item in try reader.list(value, qualified, of: "curve names") {
                    let name = try reader.string(item, "\(qualified) items")
                    guard let curve = TLSNames.curves[name] else {
                        throw reader.error(
                            at: item, "\(qualified): unknown curve '\(EchoedValue(name))'; expected CurveP256, CurveP384, CurveP521 or X25519")
                    }
                    text.curves.append(curve)
                }
            case "prefer_server_cipher_suites":
                // Read and checked, no effect: Go ignores it since 1.17 (it orders suites
                // itself), and so does the toolkit.
                _ = try reader.bool(value, qualified)
            case "client_allowed_sans":
                throw reader.error(
                    at: keyNode, "\(qualified) is not supported by scalewatch; issue client certificates from a dedicated client CA instead")
            default:
                preconditionFailure("BUG: key tls_server_config.\(key) allowed but not handled")
            }
        }
        guard enabled else { return nil }
        return try compile(text, node: node, reader)
    }

    private static func compile(_ text: TLSText, node: Node, _ reader: YAMLReader) throws(ConfigError) -> TLSServerConfig {
        guard let cert = text.cert else { throw reader.error(at: node, "tls_server_config: missing one of cert or cert_file") }
        guard let key = text.key else { throw reader.error(at: node, "tls_server_config: missing one of key or key_file") }
        if let clientCA = text.clientCA, text.clientAuth == .noClientCert {
            throw reader.error(
                at: clientCA.node, "tls_server_config: a client CA is configured without a client_auth_type that uses it")
        }
        if text.clientAuth.verifiesCertificates, text.clientCA == nil {
            throw reader.error(
                at: text.clientAuthNode, "tls_server_config: client_auth_type \(text.clientAuth.rawValue) needs client_ca_file (or client_ca)")
        }
        if TLSNames.rank(text.minimum) > TLSNames.rank(text.maximum) {
            throw reader.error(at: text.maximumNode ?? node, "tls_server_config: max_version is below min_version")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(cert.pem.utf8))
        } catch {
            throw reader.error(at: cert.node, "tls_server_config: no PEM certificate found")
        }
        guard !chain.isEmpty else { throw reader.error(at: cert.node, "tls_server_config: no PEM certificate found") }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(bytes: Array(key.pem.utf8), format: .pem)
        } catch {
            // The key's text is a secret: the error names the place, never the content.
            throw reader.error(at: key.node, "tls_server_config: the key is not a PEM private key")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = text.minimum
        configuration.maximumTLSVersion = text.maximum
        // HTTP/1.1 only: a client that offers h2 must not be told it may use it.
        configuration.applicationProtocols = ["http/1.1"]
        let ciphers = text.ciphers.filter { !TLSNames.isTLS13Only($0) }
        if !ciphers.isEmpty { configuration.cipherSuiteValues = ciphers }
        if !text.curves.isEmpty { configuration.curves = text.curves }
        configuration.certificateVerification = TLSServerConfig.verification(for: text.clientAuth)
        if let clientCA = text.clientCA {
            let authorities: [NIOSSLCertificate]
            do {
                authorities = try NIOSSLCertificate.fromPEMBytes(Array(clientCA.pem.utf8))
            } catch {
                throw reader.error(at: clientCA.node, "tls_server_config: no PEM certificate in the client CA")
            }
            guard !authorities.isEmpty else { throw reader.error(at: clientCA.node, "tls_server_config: no PEM certificate in the client CA") }
            configuration.trustRoots = .certificates(authorities)
            configuration.sendCANameList = true
        }
        do {
            // BoringSSL refuses a key that is not the leaf certificate's here.
            return try TLSServerConfig(configuration: configuration, clientAuth: text.clientAuth)
        } catch {
            throw reader.error(at: key.node, "tls_server_config: the key and certificate do not go together (\(error))")
        }
    }
}
