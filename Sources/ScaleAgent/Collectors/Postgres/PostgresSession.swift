import NIOCore
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// How the agent's session is opened: endpoint, TLS per `sslmode`, the password from its
/// file or variable, and the settings that keep a monitoring session harmless.
enum PostgresSession {
    /// Sent in the startup packet, so they hold from the first query on: the session's own
    /// timeouts (a locked or slow catalog never holds the agent's queries for long) and a name
    /// that shows in pg_stat_activity.
    static func startupParameters(_ target: PostgresTarget) -> [(String, String)] {
        [
            ("application_name", "scalewatch"),
            ("statement_timeout", "\(target.statementTimeout.milliseconds)ms"),
            ("lock_timeout", "\(target.lockTimeout.milliseconds)ms"),
            ("idle_in_transaction_session_timeout", "\(max(60_000, 2 * target.statementTimeout.milliseconds))ms"),
        ]
    }

    /// The password, read now (a rotated file needs no reload). Trailing newlines are not part
    /// of it. Errors name the source, never the content.
    static func password(_ source: PostgresTarget.PasswordSource) throws(PostgresProblem) -> String? {
        switch source {
        case .none:
            return nil
        case .file(let path):
            let text: String
            do {
                text = try FileReading.string(atPath: path)
            } catch {
                throw PostgresProblem(kind: .connect, message: "cannot read password_file \(path): \(error)")
            }
            var password = Substring(text)
            while let last = password.last, last == "\n" || last == "\r" { password = password.dropLast() }
            return String(password)
        case .environment(let name):
            guard let value = getenv(name) else {
                throw PostgresProblem(kind: .connect, message: "password_env: the environment variable \(name) is not set")
            }
            return String(cString: value)
        }
    }

    /// The TLS setting for `sslmode`. libpq's `require` encrypts without checking the
    /// certificate; `verify-ca` checks the chain, `verify-full` the chain and the host name.
    static func tls(_ target: PostgresTarget) throws(PostgresProblem) -> PostgresConnection.Configuration.TLS {
        if case .socket = target.endpoint { return .disable }
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch target.sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let root = target.sslRootCert { configuration.trustRoots = .file(root) }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw PostgresProblem(kind: .connect, message: "cannot set up TLS (sslmode \(target.sslMode.rawValue)): \(error)")
        }
        switch target.sslMode {
        case .allow, .prefer: return .prefer(context)
        default: return .require(context)
        }
    }

    static func configuration(
        _ target: PostgresTarget, password: String?, tls: PostgresConnection.Configuration.TLS
    ) -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch target.endpoint {
        case .tcp(let host):
            configuration = .init(
                host: host, port: target.port, username: target.user, password: password, database: target.database, tls: tls)
        case .socket(let directory):
            configuration = .init(
                unixSocketPath: "\(directory)/.s.PGSQL.\(target.port)", username: target.user, password: password,
                database: target.database)
        }
        configuration.options.connectTimeout = .milliseconds(target.connectTimeout.milliseconds)
        configuration.options.additionalStartupParameters = startupParameters(target)
        return configuration
    }
}
