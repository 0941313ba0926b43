/// Function calls and aggregations, with their argument lists and signatures.
extension PromQLExpressionParser {
    /// `current` is the function name; the `(` follows.
    mutating func parseFunctionCall() throws(PromQLParseError) -> PositionedExpr {
        let name = current
        try advance()
        try advance()
        let arguments = try parseArguments(in: "function call")
        guard let function = PromQLFunction.named(name.text) else {
            throw failure("unknown function with name \"\(name.text)\"", at: name.position)
        }
        try checkArity(of: function, count: arguments.count, at: name.position)
        for (index, argument) in arguments.enumerated() {
            // Past the declared types only a variadic function gets here; it repeats the last.
            let expected = function.argumentTypes[min(index, function.argumentTypes.count - 1)]
            if argument.type != expected {
                throw failure("expected type \(expected.rawValue) in call to function \"\(function.name)\", got \(argument.type.rawValue)", at: argument.position)
            }
        }
        return try node(.call(FunctionCall(function: function, args: arguments.map(\.expr))), at: name.position, over: arguments)
    }

    private func checkArity(of function: PromQLFunction, count: Int, at position: Int) throws(PromQLParseError) {
        let declared = function.argumentTypes.count
        let minimum = function.optionalArguments < 0 ? declared - 1 : declared - function.optionalArguments
        let maximum = function.optionalArguments < 0 ? Int.max : declared
        let quoted = "\"\(function.name)\""
        if minimum == maximum && count != minimum {
            throw failure("expected \(minimum) argument(s) in call to \(quoted), got \(count)", at: position)
        }
        if count < minimum {
            throw failure("expected at least \(minimum) argument(s) in call to \(quoted), got \(count)", at: position)
        }
        if count > maximum {
            throw failure("expected at most \(maximum) argument(s) in call to \(quoted), got \(count)", at: position)
        }
    }

    /// `sum by (a) (x)`, `sum (x) without (a)`, `topk(3, x)`; `current` is the operator.
    mutating func parseAggregation(_ op: AggregationOperator) throws(PromQLParseError) -> PositionedExpr {
        let position = current.position
        try advance()
        var grouping: (labels: [String], without: Bool)?
        if let without = groupingKeyword() {
            try advance()
            grouping = (try parseGroupingLabels(), without)
        }
        guard current.kind == .leftParen else { throw unexpected(in: "aggregation", expected: "\"(\"") }
        try advance()
        let arguments = try parseArguments(in: "aggregation")
        if grouping == nil, let without = groupingKeyword() {
            try advance()
            grouping = (try parseGroupingLabels(), without)
        }

        if arguments.isEmpty {
            throw failure("no arguments for aggregate expression provided", at: position)
        }
        let expectedCount = op.takesParameter ? 2 : 1
        if arguments.count != expectedCount {
            throw failure("wrong number of arguments for aggregate expression provided, expected \(expectedCount), got \(arguments.count)", at: position)
        }
        let operand = arguments[arguments.count - 1]
        if operand.type != .instantVector {
            throw failure("expected type instant vector in aggregation expression, got \(operand.type.rawValue)", at: operand.position)
        }
        let parameter = op.takesParameter ? arguments[0] : nil
        if let parameter {
            let expected: ValueType = op == .countValues ? .string : .scalar
            if parameter.type != expected {
                throw failure("expected type \(expected.rawValue) in aggregation parameter, got \(parameter.type.rawValue)", at: parameter.position)
            }
        }
        let aggregate = AggregateExpr(
            op: op, expr: operand.expr, parameter: parameter?.expr,
            grouping: grouping?.labels ?? [], without: grouping?.without ?? false)
        return try node(.aggregate(aggregate), at: position, over: arguments)
    }

    /// Whether `current` is `by` (false) or `without` (true).
    private func groupingKeyword() -> Bool? {
        switch current.kind {
        case .keyword(.by): return false
        case .keyword(.without): return true
        default: return nil
        }
    }

    /// Comma-separated expressions up to and including the `)`; `current` is just past the `(`.
    private mutating func parseArguments(in context: String) throws(PromQLParseError) -> [PositionedExpr] {
        var arguments: [PositionedExpr] = []
        if current.kind == .rightParen {
            try advance()
            return arguments
        }
        while true {
            arguments.append(try parseExpression())
            switch current.kind {
            case .comma:
                let comma = current.position
                try advance()
                if current.kind == .rightParen {
                    throw failure("trailing commas not allowed in function call args", at: comma)
                }
            case .rightParen:
                try advance()
                return arguments
            default:
                throw unexpected(in: context, expected: "\",\" or \")\"")
            }
        }
    }

    /// `(label, …)` after `by`, `without`, `on`, `ignoring` and the group modifiers. Keywords are
    /// label names here, quoted names are allowed (Prometheus 3), and so is a trailing comma.
    mutating func parseGroupingLabels() throws(PromQLParseError) -> [String] {
        guard current.kind == .leftParen else { throw unexpected(in: "grouping opts", expected: "\"(\"") }
        try advance()
        var labels: [String] = []
        while current.kind != .rightParen {
            switch current.kind {
            case .identifier(let name), .string(let name): labels.append(name)
            case .keyword: labels.append(current.text)
            // `Inf` and `NaN` are numbers to the lexer but fine label names.
            case .number where current.text.allSatisfy(\.isLetter): labels.append(current.text)
            default: throw unexpected(in: "grouping opts", expected: "label")
            }
            try advance()
            switch current.kind {
            case .comma: try advance()
            case .rightParen: break
            default: throw unexpected(in: "grouping opts", expected: "\",\" or \")\"")
            }
        }
        try advance()
        return labels
    }
}
