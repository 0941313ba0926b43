import MetricStore
import Yams

/// Options of the `postgres` collector (`collectors.postgres` in agent.yml): the servers to
/// watch. The collector is off until targets are listed.
public struct PostgresSettings: Sendable, Equatable {
    public var targets: [PostgresTarget] = []

    public init() {}

    /// Options besides `enabled`.
    static let options: [String: [String]] = ["postgres": ["targets"]]

    mutating func parse(key: String, _ node: Node, _ qualified: String, _ reader: YAMLReader) throws(ConfigError) {
        switch key {
        case "targets":
            guard case .sequence(let sequence) = node, !sequence.isEmpty else {
                throw reader.error(at: node, "\(qualified) must be a non-empty list of servers, got \(reader.describe(node))")
            }
            var targets: [PostgresTarget] = []
            for (index, item) in sequence.enumerated() {
                let target = try PostgresTarget.parse(item, "\(qualified)[\(index)]", reader)
                if let twin = targets.first(where: { $0.serverLabel == target.serverLabel && $0.database == target.database
                    && $0.user == target.user && $0.labels == target.labels })
                {
                    throw reader.error(at: item, "\(qualified)[\(index)] repeats the target \(twin.serverLabel) (same database, user and labels)")
                }
                targets.append(target)
            }
            self.targets = targets
        default:
            preconditionFailure("BUG: option \(qualified) allowed but not handled")
        }
    }
}

/// One PostgreSQL server the agent keeps a connection to.
public struct PostgresTarget: Sendable, Hashable {
    public enum Endpoint: Sendable, Hashable {
        case tcp(host: String)
        /// The directory holding `.s.PGSQL.<port>`, as libpq's `host=/var/run/postgresql`.
        case socket(directory: String)
    }

    /// libpq's `sslmode` values. `allow` is treated as `prefer`; `verify-ca` and `verify-full`
    /// check the server certificate against `sslrootcert` (or the system's roots).
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// Where the password comes from. The value itself is never in the config, on the
    /// command line, in a log line, an error or a metric; it is read at each connection
    /// attempt so that a rotated password file needs no reload.
    public enum PasswordSource: Sendable, Hashable {
        case none
        case file(String)
        case environment(String)
    }

    public var endpoint: Endpoint = .socket(directory: "/var/run/postgresql")
    public var port = 5432
    public var user = "postgres"
    public var database = "postgres"
    public var sslMode: SSLMode = .prefer
    public var sslRootCert: String?
    public var password: PasswordSource = .none
    /// Added to every series of this target.
    public var labels: [String: String] = [:]

    /// How long one collection waits for this target before it serves the last complete
    /// result, marked stale.
    public var collectionTimeout: Duration = .seconds(2)
    public var connectTimeout: Duration = .seconds(5)
    /// `statement_timeout` and `lock_timeout` of the agent's own session.
    public var statementTimeout: Duration = .seconds(5)
    public var lockTimeout: Duration = .seconds(1)
    /// A collection within this long of the last refresh reuses it instead of querying again.
    public var minInterval: Duration = .seconds(1)
    /// Database and table sizes, the largest tables' vacuum state and frozen-XID ages at most
    /// this often; the statistics counters at most every half of it (see `PostgresSectionCadence`).
    public var slowInterval: Duration = .seconds(60)
    /// Per section (by its `section` label), how often it is read, overriding its default.
    var sectionIntervals: [PostgresSection: Duration] = [:]
    /// Client backends by application_name: the largest N, the rest as `other`.
    public var topApplications = 10
    /// Tables reported with their dead tuples and last autovacuum (largest first).
    public var topTables = 10
    /// pg_stat_statements: the K statements that changed most over `statementsWindow`.
    public var topStatements = 10
    public var statementsWindow: Duration = .seconds(60)
    /// The normalized query text is cut to this many characters.
    public var queryTextLength = 120

    public init(endpoint: Endpoint, port: Int = 5432, user: String = "postgres", database: String = "postgres") {
        self.endpoint = endpoint
        self.port = port
        self.user = user
        self.database = database
    }

    /// The `server` label, as postgres_exporter sets it: `host:port`, or `directory:port` for a
    /// Unix socket.
    public var serverLabel: String {
        switch endpoint {
        case .tcp(let host): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .socket(let directory): "\(directory):\(port)"
        }
    }

    /// The labels the collector itself sets, which `labels` may not redefine.
    static let reservedLabels: Set<String> = [
        "server", "datid", "datname", "state", "mode", "locktype", "wait_event_type", "application_name",
        "client_addr", "slot_name", "sync_state", "database", "schemaname", "relname", "queryid", "user", "query",
        "status", "kind", "section", "version", "short_version", "sender_host", "slot_type",
    ]

    static let keys = [
        "host", "socket_dir", "port", "user", "database", "sslmode", "sslrootcert", "password_file", "password_env",
        "labels", "collection_timeout", "connect_timeout", "statement_timeout", "lock_timeout", "min_interval",
        "slow_interval", "section_intervals", "top_applications", "top_tables", "top_statements", "statements_window", "query_text_length",
    ]

    static func parse(_ node: Node, _ section: String, _ reader: YAMLReader) throws(ConfigError) -> PostgresTarget {
        var target = PostgresTarget(endpoint: .socket(directory: "/var/run/postgresql"))
        var endpointNode: Node?
        var passwordNode: Node?
        for (key, keyNode, value) in try reader.mapping(node, in: section, allowed: keys) {
            let qualified = "\(section).\(key)"
            switch key {
            case "host", "socket_dir":
                if endpointNode != nil {
                    throw reader.error(at: keyNode, "\(section): give either host or socket_dir, not both")
                }
                endpointNode = keyNode
                let text = try reader.string(value, qualified)
                if key == "host" {
                    guard !text.isEmpty, !text.hasPrefix("/"), !text.contains(where: { $0 == " " || $0 == "/" }) else {
                        throw reader.error(
                            at: value, "\(qualified) must be a host name or IP address (use socket_dir for a Unix socket directory), got '\(EchoedValue(text))'")
                    }
                    target.endpoint = .tcp(host: text)
                } else {
                    guard text.hasPrefix("/") else {
                        throw reader.error(at: value, "\(qualified) must be an absolute directory path, got '\(EchoedValue(text))'")
                    }
                    target.endpoint = .socket(directory: text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text)
                }
            case "port":
                target.port = try reader.integer(value, qualified, in: 1...65535)
            case "user":
                target.user = try nonEmpty(value, qualified, reader)
            case "database":
                target.database = try nonEmpty(value, qualified, reader)
            case "sslmode":
                let text = try reader.string(value, qualified)
                guard let mode = SSLMode(rawValue: text) else {
                    throw reader.error(
                        at: value, "\(qualified) must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), got '\(EchoedValue(text))'")
                }
                target.sslMode = mode
            case "sslrootcert":
                let path = try reader.string(value, qualified)
                guard path.hasPrefix("/") else { throw reader.error(at: value, "\(qualified) must be an absolute path, got '\(EchoedValue(path))'") }
                target.sslRootCert = path
            case "password_file", "password_env":
                if passwordNode != nil {
                    throw reader.error(at: keyNode, "\(section): give either password_file or password_env, not both")
                }
                passwordNode = keyNode
                let text = try reader.string(value, qualified)
                if key == "password_file" {
                    guard text.hasPrefix("/") else {
                        throw reader.error(at: value, "\(qualified) must be an absolute path to a file holding the password")
                    }
                    target.password = .file(text)
                } else {
                    guard YAMLReader.isLabelName(text) else {
                        throw reader.error(
                            at: value, "\(qualified) must name an environment variable ([A-Za-z_][A-Za-z0-9_]*); the password itself never goes in the config")
                    }
                    target.password = .environment(text)
                }
            case "labels":
                let labels = try reader.stringMap(value, qualified)
                if let clash = labels.keys.sorted().first(where: { reservedLabels.contains($0) || $0.hasPrefix("__") }) {
                    throw reader.error(at: value, "\(qualified): '\(clash)' is a label the collector sets itself; choose another name")
                }
                target.labels = labels
            case "collection_timeout":
                target.collectionTimeout = try reader.duration(value, qualified, in: .milliseconds(10) ... .seconds(3_600))
            case "connect_timeout":
                target.connectTimeout = try reader.duration(value, qualified, in: .milliseconds(10) ... .seconds(3_600))
            case "statement_timeout":
                target.statementTimeout = try reader.duration(value, qualified, in: .milliseconds(1) ... .seconds(3_600))
            case "lock_timeout":
                target.lockTimeout = try reader.duration(value, qualified, in: .milliseconds(1) ... .seconds(3_600))
            case "min_interval":
                target.minInterval = try reader.duration(value, qualified, in: .zero ... .seconds(86_400))
            case "slow_interval":
                target.slowInterval = try reader.duration(value, qualified, in: .seconds(1) ... .seconds(86_400))
            case "section_intervals":
                for (name, nameNode, interval) in try reader.mapping(value, in: qualified, allowed: PostgresSection.allCases.map(\.rawValue)) {
                    guard let section = PostgresSection(rawValue: name) else {
                        throw reader.error(at: nameNode, "\(qualified): no section \(name)")
                    }
                    target.sectionIntervals[section] = try reader.duration(interval, "\(qualified).\(name)", in: .zero ... .seconds(86_400))
                }
            case "top_applications":
                target.topApplications = try reader.integer(value, qualified, in: 1...1000)
            case "top_tables":
                target.topTables = try reader.integer(value, qualified, in: 0...1000)
            case "top_statements":
                target.topStatements = try reader.integer(value, qualified, in: 0...1000)
            case "statements_window":
                target.statementsWindow = try reader.duration(value, qualified, in: .seconds(1) ... .seconds(86_400))
            case "query_text_length":
                target.queryTextLength = try reader.integer(value, qualified, in: 0...10_000)
            default:
                preconditionFailure("BUG: key \(qualified) allowed but not handled")
            }
        }
        guard endpointNode != nil else {
            throw reader.error(at: node, "\(section) needs host (with port) or socket_dir")
        }
        if target.sslMode == .verifyCA || target.sslMode == .verifyFull, case .socket = target.endpoint {
            throw reader.error(at: node, "\(section): sslmode \(target.sslMode.rawValue) needs host; a Unix socket has no TLS")
        }
        return target
    }

    private static func nonEmpty(_ node: Node, _ key: String, _ reader: YAMLReader) throws(ConfigError) -> String {
        let text = try reader.string(node, key)
        guard !text.isEmpty else { throw reader.error(at: node, "\(key) must not be empty") }
        return text
    }
}
