import MetricStore

/// One entry of `tests:`: input series and what the rules must make of them.
public struct RuleTestGroup: Sendable, Hashable {
    public var name: String?
    /// Milliseconds between two values of an input series; the evaluation interval unless set.
    public var interval: Int64
    public var inputSeries: [InputSeries]
    public var alertRuleTests: [AlertRuleTest]
    public var promqlExprTests: [PromQLExprTest]
    /// Visible to alert templates as `$externalLabels`.
    public var externalLabels: Labels
    /// Visible to alert templates as `$externalURL`.
    public var externalURL: String?
    /// Milliseconds since the epoch of the first input value and of eval_time 0; 0 unless set.
    public var startTimestamp: Int64
    public var line: Int
    public var column: Int

    public init(
        name: String? = nil, interval: Int64, inputSeries: [InputSeries] = [], alertRuleTests: [AlertRuleTest] = [],
        promqlExprTests: [PromQLExprTest] = [], externalLabels: Labels = .empty, externalURL: String? = nil,
        startTimestamp: Int64 = 0, line: Int = 0, column: Int = 0
    ) {
        self.name = name
        self.interval = interval
        self.inputSeries = inputSeries
        self.alertRuleTests = alertRuleTests
        self.promqlExprTests = promqlExprTests
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.startTimestamp = startTimestamp
        self.line = line
        self.column = column
    }
}
