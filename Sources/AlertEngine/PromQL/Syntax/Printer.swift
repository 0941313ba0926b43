import MetricStore

extension Expr: CustomStringConvertible {
    public var description: String { PromQLPrinter.format(self) }
}

/// Canonical PromQL for an expression, in the layout of Prometheus' `String()`:
/// `sum by (job) (rate(x[5m]))`, `a + on (b) group_left (c) d`, `x[1h5m] @ 10.000 offset 5m`.
/// Parsing the output gives back an equal tree. Unlike Prometheus, matchers keep their order
/// instead of being sorted, since `matchers` is an ordered array and the round trip must hold.
///
/// A parsed tree keeps its parentheses as `.paren` nodes, so the printer adds none of its own to
/// it; only a tree built by hand that could not have come from the parser (`(a + b) * c` without
/// a `.paren`) gets the parentheses its meaning needs.
enum PromQLPrinter {
    static func format(_ expr: Expr) -> String {
        switch expr {
        case .number(let value):
            return GoFloatFormat.shortestFixed(value)
        case .string(let value):
            return GoQuote.quote(value)
        case .vectorSelector(let selector):
            return format(selector) + modifiers(at: selector.at, offset: selector.offset)
        case .matrixSelector(let matrix):
            let selector = matrix.selector
            return format(selector) + "[\(PrometheusDuration.format(milliseconds: matrix.range))]"
                + modifiers(at: selector.at, offset: selector.offset)
        case .subquery(let subquery):
            let step = subquery.step.map { PrometheusDuration.format(milliseconds: $0) } ?? ""
            return operand(subquery.expr, parenthesized: subquery.expr.bindsLooserThanPostfix)
                + "[\(PrometheusDuration.format(milliseconds: subquery.range)):\(step)]"
                + modifiers(at: subquery.at, offset: subquery.offset)
        case .call(let call):
            return call.function.name + "(" + call.args.map(format).joined(separator: ", ") + ")"
        case .aggregate(let aggregate):
            return format(aggregate)
        case .binary(let binary):
            return format(binary)
        case .negation(let operand):
            return "-" + self.operand(operand, parenthesized: operand.bindsLooserThanNegation)
        case .paren(let inner):
            return "(" + format(inner) + ")"
        }
    }

    private static func operand(_ expr: Expr, parenthesized: Bool) -> String {
        parenthesized ? "(" + format(expr) + ")" : format(expr)
    }

    /// The name outside the braces when it can be written as one; the `__name__` matcher it
    /// implies is then left out of them.
    private static func format(_ selector: VectorSelector) -> String {
        var matchers = selector.matchers
        var text = ""
        if let name = selector.name, !name.isEmpty {
            let implied = matchers.firstIndex { $0.name == Label.metricName && $0.kind == .equal && $0.value == name }
            if canBeWrittenBare(metricName: name) {
                text = name
                if let implied { matchers.remove(at: implied) }
            } else if implied == nil {
                matchers.insert(.equal(Label.metricName, name), at: 0)
            }
        }
        if matchers.isEmpty && !text.isEmpty { return text }
        return text + "{" + matchers.map(format).joined(separator: ",") + "}"
    }

    private static func format(_ matcher: LabelMatcher) -> String {
        label(matcher.name) + matcher.kind.rawValue + GoQuote.quote(matcher.value)
    }

    private static func format(_ aggregate: AggregateExpr) -> String {
        var text = aggregate.op.rawValue
        if aggregate.without {
            text += " without (\(labelList(aggregate.grouping))) "
        } else if !aggregate.grouping.isEmpty {
            text += " by (\(labelList(aggregate.grouping))) "
        }
        let parameter = aggregate.parameter.map { format($0) + ", " } ?? ""
        return text + "(" + parameter + format(aggregate.expr) + ")"
    }

    private static func format(_ binary: BinaryExpr) -> String {
        var op = " " + binary.op.rawValue
        if binary.returnBool { op += " bool" }
        if let matching = binary.matching {
            let grouped = matching.cardinality != .oneToOne
            if !matching.labels.isEmpty || matching.on || grouped {
                op += (matching.on ? " on" : " ignoring") + " (\(labelList(matching.labels)))"
            }
            if grouped {
                op += (matching.cardinality == .manyToOne ? " group_left" : " group_right") + " (\(labelList(matching.include)))"
            }
        }
        return operand(binary.lhs, parenthesized: binary.lhs.needsParentheses(asLeftOperandOf: binary.op))
            + op + " "
            + operand(binary.rhs, parenthesized: binary.rhs.needsParentheses(asRightOperandOf: binary.op))
    }

    private static func modifiers(at: AtModifier?, offset: Int64) -> String {
        var text = ""
        switch at {
        case .timestamp(let milliseconds):
            let sign = milliseconds < 0 ? "-" : ""
            let magnitude = milliseconds.magnitude
            let fraction = String(magnitude % 1000)
            text += " @ \(sign)\(magnitude / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
        case .start: text += " @ start()"
        case .end: text += " @ end()"
        case nil: break
        }
        if offset != 0 {
            text += " offset " + PrometheusDuration.format(milliseconds: offset)
        }
        return text
    }

    private static func labelList(_ labels: [String]) -> String {
        labels.map(label).joined(separator: ", ")
    }

    private static func label(_ name: String) -> String {
        isLegacyName(name, allowingColons: false) ? name : GoQuote.quote(name)
    }

    /// A metric name that reads back as a name: legacy characters, and not a word the lexer
    /// turns into a number or an operator modifier.
    private static func canBeWrittenBare(metricName name: String) -> Bool {
        guard isLegacyName(name, allowingColons: true) else { return false }
        if ["inf", "nan"].contains(name.lowercased()) { return false }
        return PromQLKeyword(word: name)?.canNameMetric ?? true
    }

    private static func isLegacyName(_ name: String, allowingColons: Bool) -> Bool {
        guard let first = name.first, !first.isASCIIDigit else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) || (allowingColons && $0 == ":") }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

/// Where a hand-built tree needs parentheses to print as what it is.
private extension Expr {
    var bindsLooserThanPostfix: Bool {
        switch self {
        case .binary, .negation: return true
        default: return false
        }
    }

    /// Unary minus binds like `*`: only `^` holds together under it.
    var bindsLooserThanNegation: Bool {
        if case .binary(let binary) = self { return binary.op != .power }
        return false
    }

    func needsParentheses(asLeftOperandOf op: BinaryOperator) -> Bool {
        switch self {
        case .binary(let inner):
            return inner.op.precedence < op.precedence || (inner.op.precedence == op.precedence && op.isRightAssociative)
        case .negation:
            return op == .power
        case .number(let value):
            // `-2 ^ 2` reads as `-(2 ^ 2)`.
            return op == .power && value.sign == .minus && !value.isNaN
        default:
            return false
        }
    }

    func needsParentheses(asRightOperandOf op: BinaryOperator) -> Bool {
        guard case .binary(let inner) = self else { return false }
        return inner.op.precedence < op.precedence || (inner.op.precedence == op.precedence && !op.isRightAssociative)
    }
}
