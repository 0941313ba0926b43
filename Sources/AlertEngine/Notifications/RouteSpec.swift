import MetricStore

/// One route as written under `alerting.route` (Alertmanager's `route:`), before inheritance:
/// a setting left out (nil) is taken from the parent route, or from Alertmanager's defaults at
/// the root.
public struct RouteSpec: Sendable, Equatable {
    public var receiver: String?
    public var grouping: Grouping?
    /// Milliseconds.
    public var groupWait: Int64?
    public var groupInterval: Int64?
    public var repeatInterval: Int64?
    public var matchers: [LabelMatcher]
    /// Whether matching goes on to the next sibling after this route matched.
    public var continues: Bool
    public var routes: [RouteSpec]

    public init(
        receiver: String? = nil, grouping: Grouping? = nil, groupWait: Int64? = nil, groupInterval: Int64? = nil,
        repeatInterval: Int64? = nil, matchers: [LabelMatcher] = [], continues: Bool = false, routes: [RouteSpec] = []
    ) {
        self.receiver = receiver
        self.grouping = grouping
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.matchers = matchers
        self.continues = continues
        self.routes = routes
    }

    /// `group_by`: the labels that make an aggregation group, or `['...']` for all of them.
    /// An empty list puts every alert of the route into one group.
    public enum Grouping: Sendable, Equatable {
        case labels(Set<String>)
        case all
    }
}
