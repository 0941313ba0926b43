import MetricStore

/// `alert_rule_test`: the alerts of one name expected to fire at one evaluation time. An
/// empty list means none may fire.
public struct AlertRuleTest: Sendable, Hashable {
    /// Milliseconds after the test's start.
    public var evalTime: Int64
    public var alertname: String
    public var expectedAlerts: [ExpectedAlert]
    public var line: Int
    public var column: Int

    public init(evalTime: Int64, alertname: String, expectedAlerts: [ExpectedAlert], line: Int = 0, column: Int = 0) {
        self.evalTime = evalTime
        self.alertname = alertname
        self.expectedAlerts = expectedAlerts
        self.line = line
        self.column = column
    }
}

/// A firing alert as the test expects it: labels (the series' and the rule's, without
/// `alertname`, which the runner adds) and expanded annotations.
public struct ExpectedAlert: Sendable, Hashable {
    public var labels: Labels
    public var annotations: Labels

    public init(labels: Labels = .empty, annotations: Labels = .empty) {
        self.labels = labels
        self.annotations = annotations
    }
}
