/// Which Prometheus rule files the agent evaluates, how often, and what their templates see
/// as `$externalLabels`. The files themselves are loaded and checked with the config, so a
/// broken rule file fails `check config` and a SIGHUP reload the same way a broken config does.
public struct RuleSettings: Sendable, Equatable {
    /// Paths or globs (`/etc/scalewatch/rules/*.yml`); relative ones are relative to the
    /// config file's directory, as in Prometheus.
    public var files: [String] = []
    public var evaluationInterval: Duration = .seconds(15)
    public var externalLabels: [String: String] = [:]

    public init() {}
}
