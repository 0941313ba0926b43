import MetricStore

/// A node of the routing tree with its settings resolved (inherited from its parent, or
/// Alertmanager's defaults at the root). Matching is Alertmanager's: depth first, left to
/// right; a route matches when its matchers do, and the deepest matching routes win; after a
/// matching child the search stops unless that child has `continue: true`; when no child
/// matches, the route itself does.
public struct NotificationRoute: Sendable, Equatable {
    public static let defaultGroupWait: Int64 = 30_000
    public static let defaultGroupInterval: Int64 = 5 * 60_000
    public static let defaultRepeatInterval: Int64 = 4 * 3_600_000

    public let receiver: String
    public let grouping: RouteSpec.Grouping
    public let groupWait: Int64
    public let groupInterval: Int64
    public let repeatInterval: Int64
    public let matchers: [LabelMatcher]
    public let continues: Bool
    public private(set) var routes: [NotificationRoute]
    /// The matchers of the path from the root (`{}/{severity="critical"}`); the first part of
    /// the group keys that receivers see. Not unique: siblings may share matchers.
    public let key: String
    /// `key` with each node's index among its siblings: unique in the tree.
    public let id: String

    /// The tree under `spec` as the root. The root's receiver must be set (the config reader
    /// refuses a root without one).
    public init(root spec: RouteSpec) {
        self.init(spec, parent: nil, index: 0)
    }

    private init(_ spec: RouteSpec, parent: NotificationRoute?, index: Int) {
        receiver = spec.receiver ?? parent?.receiver ?? ""
        grouping = spec.grouping ?? parent?.grouping ?? .labels([])
        groupWait = spec.groupWait ?? parent?.groupWait ?? Self.defaultGroupWait
        groupInterval = spec.groupInterval ?? parent?.groupInterval ?? Self.defaultGroupInterval
        repeatInterval = spec.repeatInterval ?? parent?.repeatInterval ?? Self.defaultRepeatInterval
        matchers = AlertmanagerMatchers.sorted(spec.matchers)
        continues = spec.continues
        let own = AlertmanagerMatchers.render(spec.matchers)
        key = parent.map { "\($0.key)/\(own)" } ?? own
        id = parent.map { "\($0.id)/\(own)/\(index)" } ?? own
        routes = []
        // Children inherit from this route, its settings resolved and its own children not needed.
        let resolved = self
        routes = spec.routes.enumerated().map { NotificationRoute($0.element, parent: resolved, index: $0.offset) }
    }

    /// The routes an alert with these labels goes to, in tree order; empty when the root's
    /// own matchers refuse it.
    public func match(_ labels: Labels) -> [NotificationRoute] {
        guard matchers.matches(labels) else { return [] }
        var all: [NotificationRoute] = []
        for child in routes {
            let matched = child.match(labels)
            all += matched
            if !matched.isEmpty && !child.continues { break }
        }
        return all.isEmpty ? [self] : all
    }

    /// The labels of `labels` that name an aggregation group on this route.
    public func groupLabels(of labels: Labels) -> Labels {
        switch grouping {
        case .all: return labels
        case .labels(let names): return Labels(sortedUnique: labels.pairs.filter { names.contains($0.name) })
        }
    }

    /// Every route of the tree, depth first.
    public var all: [NotificationRoute] { [self] + routes.flatMap(\.all) }
}
