/// `scalewatch check web-config FILE…`: each file loaded as the agent loads it (certificates,
/// keys and client CAs read and checked against each other, every hash parsed), and a line
/// saying what it configures.
public enum WebConfigCheck {
    /// "SUCCESS: FILE is valid (TLS, RequireAndVerifyClientCert, 2 users)", or the error.
    public static func check(file: String) -> Result<String, ConfigError> {
        do {
            let config = try WebConfigLoader.load(file: file)
            var parts: [String] = []
            if let tls = config.tls {
                parts.append("TLS")
                if tls.clientAuth != .noClientCert { parts.append(tls.clientAuth.rawValue) }
            } else {
                parts.append("no TLS")
            }
            parts.append(config.users.isEmpty ? "no basic auth" : "\(config.users.count) user\(config.users.count == 1 ? "" : "s")")
            if !config.headers.isEmpty { parts.append("\(config.headers.count) header\(config.headers.count == 1 ? "" : "s")") }
            return .success("SUCCESS: \(file) is valid (\(parts.joined(separator: ", ")))")
        } catch {
            return .failure(error)
        }
    }
}
