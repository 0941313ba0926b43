import MetricStore

/// The rule evaluation room: PromQL, rule groups, alert states and notifiers (issue #4).
/// It reads the store only through `MetricStore`'s query interfaces and knows nothing of
/// collectors or HTTP.
public enum AlertEngine {
    public static let moduleName = "AlertEngine"
}
