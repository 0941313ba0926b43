import MetricStore
import Yams

/// Which Prometheus rule files the agent evaluates, how often, and what their templates see
/// as `$externalLabels`. The files themselves are loaded and checked with the config, so a
/// broken rule file fails `check config` and a SIGHUP reload the same way a broken config does.
public struct RuleSettings: Sendable, Equatable {
    /// Paths or globs (`/etc/scalewatch/rules/*.yml`); relative ones are relative to the
    /// config file's directory, as in Prometheus.
    public var files: [String] = []
    public var evaluationInterval: Duration = .seconds(15)
    public var externalLabels: [String: String] = [:]
    /// Alerting rules of those files that are not evaluated (`disabled_alerts:`): how a user
    /// switches off an alert of the shipped pack without editing the shipped file.
    public var disabledAlerts: [DisabledAlert] = []

    public init() {}

    /// An alert name under `disabled_alerts:`, with where it was written: a name that no
    /// loaded rule file defines (a typo, a renamed alert) is refused there, since it would
    /// otherwise silently disable nothing.
    public struct DisabledAlert: Sendable, Equatable {
        public let name: String
        public let location: SourceLocation

        public init(name: String, location: SourceLocation) {
            self.name = name
            self.location = location
        }
    }

    static func parseDisabledAlerts(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> [DisabledAlert] {
        var alerts: [DisabledAlert] = []
        for item in try reader.list(node, "disabled_alerts", of: "alert names") {
            let name = try reader.string(item, "disabled_alerts")
            guard !name.isEmpty else { throw reader.error(at: item, "disabled_alerts: an alert name must not be empty") }
            if let first = alerts.first(where: { $0.name == name }) {
                throw reader.error(at: item, "disabled_alerts: \"\(name)\" appears twice, first at line \(first.location.line)")
            }
            alerts.append(DisabledAlert(name: name, location: reader.located.location(of: item)))
        }
        return alerts
    }
}
