/// Why a query could not be evaluated. The descriptions are Prometheus' own messages, so
/// that users and tools comparing against Prometheus see the same text.
public enum PromQLEvaluationError: Error, Hashable, CustomStringConvertible {
    /// Two series of one result have the same labels at the same time, usually after a
    /// function or operator dropped the metric name.
    case duplicateLabelset
    /// The "one" side of a vector match has several series for one match group.
    case duplicateMatchGroup(group: String, side: String, series: String, otherSeries: String)
    /// One-to-one matching found several series on the left for one match group.
    case manyToOneNotExplicit
    /// group_left/group_right produced the same labels twice for one match group.
    case groupingNotUnique
    /// The sample source failed.
    case source(String)
    /// A parameter (topk's k, count_values' label, a step) is unusable.
    case invalidParameter(String)
    /// label_replace/label_join rejected its arguments.
    case labelFunction(String)
    /// An expression of the wrong type where another was needed, e.g. a range vector as a
    /// range query.
    case typeMismatch(String)
    /// The query would hold more than `maxSamples` points at once.
    case tooManySamples

    /// Prometheus' default `--query.max-samples`.
    static let maxSamples: UInt64 = 50_000_000

    public var description: String {
        switch self {
        case .duplicateLabelset:
            return "vector cannot contain metrics with the same labelset"
        case let .duplicateMatchGroup(group, side, series, otherSeries):
            return "found duplicate series for the match group \(group) on the \(side) hand-side of the operation: "
                + "[\(series), \(otherSeries)];many-to-many matching not allowed: matching labels must be unique on one side"
        case .manyToOneNotExplicit:
            return "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
        case .groupingNotUnique:
            return "multiple matches for labels: grouping labels must ensure unique matches"
        case let .source(message):
            return "expanding series: \(message)"
        case let .invalidParameter(message), let .labelFunction(message), let .typeMismatch(message):
            return message
        case .tooManySamples:
            return "query processing would load too many samples into memory in query execution"
        }
    }
}
