import Yams

/// The `web:` section of `agent.yml`: what the HTTP layer offers beyond `/metrics` and the
/// health endpoints. TLS and authentication (issue 12) join here and reach the HTTP layer
/// through `HTTPLayer.responder(web:…)`.
public struct WebSettings: Sendable, Equatable {
    /// `POST|PUT /-/reload` and `/-/quit`, as Prometheus' `--web.enable-lifecycle`. Off:
    /// anyone who can reach the address could otherwise stop the agent.
    public var enableLifecycle = false

    /// The most HTTP connections open at once, over every listener; at the limit a new one
    /// replaces the one that waited longest on its client (`HTTPConnectionTable`). Lowered at
    /// start when the file descriptor limit leaves HTTP less (`FileDescriptorLimit`).
    public var maxConnections = 512

    /// `web.config_file` (or `--web.config.file`): TLS, basic authentication and headers, in
    /// the format of Prometheus' exporter-toolkit (`WebConfigLoader`). Relative to the config
    /// file's directory.
    public var configFile: String?

    public init(enableLifecycle: Bool = false, maxConnections: Int = 512, configFile: String? = nil) {
        self.enableLifecycle = enableLifecycle
        self.maxConnections = maxConnections
        self.configFile = configFile
    }

    static let keys = ["enable_lifecycle", "max_connections", "config_file"]
    static let maxConnectionsRange = 1...65536

    static func parse(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> WebSettings {
        var web = WebSettings()
        for (key, _, value) in try reader.mapping(node, in: "web", allowed: keys) {
            switch key {
            case "enable_lifecycle": web.enableLifecycle = try reader.bool(value, "web.\(key)")
            case "max_connections": web.maxConnections = try reader.integer(value, "web.\(key)", in: maxConnectionsRange)
            case "config_file":
                let path = try reader.string(value, "web.\(key)")
                guard !path.isEmpty else { throw reader.error(at: value, "web.config_file must name a file") }
                let base = reader.located.file
                web.configFile = path.hasPrefix("/") || !base.contains("/") ? path : "\(base[..<base.lastIndex(of: "/")!])/\(path)"
            default: preconditionFailure("BUG: key web.\(key) allowed but not handled")
            }
        }
        return web
    }
}
