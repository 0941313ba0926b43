import Yams

/// The `web:` section of `agent.yml`: what the HTTP layer offers beyond `/metrics` and the
/// health endpoints. TLS and authentication (issue 12) join here and reach the HTTP layer
/// through `HTTPLayer.responder(web:…)`.
public struct WebSettings: Sendable, Equatable {
    /// `POST|PUT /-/reload` and `/-/quit`, as Prometheus' `--web.enable-lifecycle`. Off:
    /// anyone who can reach the address could otherwise stop the agent.
    public var enableLifecycle = false

    public init(enableLifecycle: Bool = false) {
        self.enableLifecycle = enableLifecycle
    }

    static let keys = ["enable_lifecycle"]

    static func parse(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> WebSettings {
        var web = WebSettings()
        for (key, _, value) in try reader.mapping(node, in: "web", allowed: keys) {
            switch key {
            case "enable_lifecycle": web.enableLifecycle = try reader.bool(value, "web.\(key)")
            default: preconditionFailure("BUG: key web.\(key) allowed but not handled")
            }
        }
        return web
    }
}
