import MetricStore

/// A list of rules evaluated in order at one interval. Durations are milliseconds; nil means
/// the file left the setting to the global configuration.
public struct RuleGroup: Sendable, Hashable {
    /// Unique within its file.
    public var name: String
    public var interval: Int64?
    /// At most this many series per rule and evaluation, or alerts per alerting rule; nil or
    /// 0 means no limit.
    public var limit: Int?
    /// How far in the past the group's queries look, to wait for late samples.
    public var queryOffset: Int64?
    /// Added to every series and alert of the group's rules; a rule's own labels win.
    public var labels: Labels
    public var rules: [Rule]
    /// Where the group's mapping starts in the file.
    public var line: Int
    public var column: Int

    public init(
        name: String, interval: Int64? = nil, limit: Int? = nil, queryOffset: Int64? = nil, labels: Labels = .empty,
        rules: [Rule], line: Int = 0, column: Int = 0
    ) {
        self.name = name
        self.interval = interval
        self.limit = limit
        self.queryOffset = queryOffset
        self.labels = labels
        self.rules = rules
        self.line = line
        self.column = column
    }
}
