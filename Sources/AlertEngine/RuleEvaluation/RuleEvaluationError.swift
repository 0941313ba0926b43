/// A rule that failed at one evaluation: a query error, a result of the wrong type, a
/// duplicate label set, an exceeded limit. The rule's other evaluations go on.
public struct RuleEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let group: String
    public let rule: String
    /// Unix milliseconds of the evaluation.
    public let time: Int64
    public let message: String

    public var description: String { "group \(group), rule \(rule): \(message)" }
}
