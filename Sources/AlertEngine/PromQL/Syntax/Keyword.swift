/// The words the lexer recognises outside braces, case-insensitively as Prometheus does.
/// Several of them may still name a metric or a label; the parser decides by position.
enum PromQLKeyword: String, Sendable {
    // Word operators.
    case and, or, unless, atan2
    // Aggregations.
    case sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"
    // Modifiers.
    case offset, by, without, on, ignoring, bool
    case groupLeft = "group_left"
    case groupRight = "group_right"
    // `@ start()` and `@ end()`.
    case start, end

    init?(word: some StringProtocol) {
        self.init(rawValue: word.lowercased())
    }

    var aggregation: AggregationOperator? {
        AggregationOperator(rawValue: rawValue)
    }

    var binaryOperator: BinaryOperator? {
        switch self {
        case .and: return .and
        case .or: return .or
        case .unless: return .unless
        case .atan2: return .atan2
        default: return nil
        }
    }

    /// Prometheus' grammar lets these stand for a metric name (`by`, `sum`, `offset` …) but not
    /// the binary-operator modifiers, which would make `a + on b` ambiguous.
    var canNameMetric: Bool {
        switch self {
        case .bool, .on, .ignoring, .groupLeft, .groupRight, .atan2: return false
        default: return true
        }
    }
}
