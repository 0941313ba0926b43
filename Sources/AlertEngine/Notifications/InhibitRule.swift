import MetricStore

/// One of Alertmanager's `inhibit_rules`: while an alert matching `sourceMatchers` fires, alerts
/// matching `targetMatchers` that carry the same values for every label in `equal` (a label
/// missing on both sides counts as equal) are not notified. An alert that matches both sides
/// cannot inhibit itself, nor be inhibited by another alert that also matches both sides.
public struct InhibitRule: Sendable, Equatable {
    public var sourceMatchers: [LabelMatcher]
    public var targetMatchers: [LabelMatcher]
    public var equal: [String]

    public init(sourceMatchers: [LabelMatcher], targetMatchers: [LabelMatcher], equal: [String]) {
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }

    /// Whether `target` is muted by one of the firing alerts.
    public func inhibits(_ target: Labels, firing sources: [Labels]) -> Bool {
        guard targetMatchers.matches(target) else { return false }
        let targetIsSource = sourceMatchers.matches(target)
        for source in sources where sourceMatchers.matches(source) {
            if targetIsSource && targetMatchers.matches(source) { continue }
            if equal.allSatisfy({ source[$0] == target[$0] }) { return true }
        }
        return false
    }
}
