import MetricStore

/// One alert instance as the outside sees it: the CLI, the HTTP API, notifications and
/// `test rules`.
public struct AlertSnapshot: Sendable, Hashable {
    public let rule: String
    /// Including `alertname`.
    public let labels: Labels
    public let annotations: Labels
    public let state: AlertState
    public let value: Double
    /// Unix milliseconds when the expression first returned this alert in its episode.
    public let activeAt: Int64?
    public let firedAt: Int64?
    /// Set once a firing alert has ended.
    public let resolvedAt: Int64?
    /// The rule's expression as written, for the `generatorURL` of notifications.
    public var expression: String = ""

    public init(
        rule: String, labels: Labels, annotations: Labels, state: AlertState, value: Double, activeAt: Int64?, firedAt: Int64?,
        resolvedAt: Int64?, expression: String = ""
    ) {
        self.rule = rule
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.expression = expression
    }
}
