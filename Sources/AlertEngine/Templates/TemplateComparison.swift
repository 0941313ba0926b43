/// Go's template comparisons `eq`, `lt` and the ones built on them. Like Go, they compare
/// only values of the same basic kind: `gt $value 80` fails ("incompatible types for
/// comparison: float64 and int") because 80 is an int constant; `gt $value 80.0` works.
enum TemplateComparison {
    typealias Failure = TemplateFunction.Failure

    private enum BasicKind {
        case bool, int, float, string
    }

    private static func basicKind(_ value: TemplateValue) -> BasicKind? {
        switch value {
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        case .noValue, .stringMap, .alertData, .sample, .queryResult: return nil
        }
    }

    /// `eq a b c` is `a == b || a == c`.
    static func equal(_ first: TemplateValue, toAnyOf others: [TemplateValue]) throws(Failure) -> Bool {
        guard !others.isEmpty else { throw Failure(message: "missing argument for comparison") }
        for other in others {
            if basicKind(first) != basicKind(other) {
                if first != .noValue && other != .noValue {
                    throw Failure(message: "incompatible types for comparison: \(first.goTypeName) and \(other.goTypeName)")
                }
                continue
            }
            switch (first, other) {
            case (.bool(let a), .bool(let b)): if a == b { return true }
            case (.int(let a), .int(let b)): if a == b { return true }
            case (.float(let a), .float(let b)): if a == b { return true }
            case (.string(let a), .string(let b)): if a == b { return true }
            case (.noValue, .noValue): return true
            case (.noValue, _), (_, .noValue): continue
            case (.stringMap, .stringMap), (.alertData, .alertData), (.sample, .sample), (.queryResult, .queryResult):
                throw Failure(message: "non-comparable type \(GoFormat.printed(other)): \(other.goTypeName)")
            default:
                throw Failure(
                    message: "non-comparable types \(GoFormat.printed(first)): \(first.goTypeName), "
                        + "\(other.goTypeName): \(GoFormat.printed(other))")
            }
        }
        return false
    }

    static func less(_ first: TemplateValue, _ second: TemplateValue) throws(Failure) -> Bool {
        guard let firstKind = basicKind(first), let secondKind = basicKind(second) else {
            throw Failure(message: "invalid type for comparison")
        }
        guard firstKind == secondKind else {
            throw Failure(message: "incompatible types for comparison: \(first.goTypeName) and \(second.goTypeName)")
        }
        switch (first, second) {
        case (.int(let a), .int(let b)): return a < b
        case (.float(let a), .float(let b)): return a < b
        case (.string(let a), .string(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        default: throw Failure(message: "invalid type for comparison")
        }
    }

    static func lessOrEqual(_ first: TemplateValue, _ second: TemplateValue) throws(Failure) -> Bool {
        if try less(first, second) { return true }
        return try equal(first, toAnyOf: [second])
    }
}
