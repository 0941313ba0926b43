import MetricStore

/// An Alertmanager silence: while active, the alerts whose labels all its matchers match are
/// not notified (they stay listed, marked silenced). Times are Unix milliseconds.
///
/// As in Alertmanager's `silence/` package, a silence is pending before `startsAt`, active
/// until `endsAt` and expired from `endsAt` on; nothing ever deletes one early, expiring it
/// moves its `endsAt` to now.
public struct Silence: Sendable, Hashable {
    /// Alertmanager's silence states, as its API writes them.
    public enum State: String, Sendable, Hashable {
        case pending
        case active
        case expired
    }

    public var id: String
    public var matchers: [LabelMatcher]
    public var startsAt: Int64
    public var endsAt: Int64
    public var updatedAt: Int64
    public var createdBy: String
    public var comment: String

    public init(
        id: String, matchers: [LabelMatcher], startsAt: Int64, endsAt: Int64, updatedAt: Int64, createdBy: String, comment: String
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.comment = comment
    }

    public func state(at now: Int64) -> State {
        if now < startsAt { return .pending }
        return now < endsAt ? .active : .expired
    }

    /// Whether the silence is active at `now` and every matcher matches `labels` (a label
    /// the alert lacks counts as the empty string).
    public func mutes(_ labels: Labels, at now: Int64) -> Bool {
        state(at: now) == .active && matches(labels)
    }

    public func matches(_ labels: Labels) -> Bool {
        matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") }
    }
}
