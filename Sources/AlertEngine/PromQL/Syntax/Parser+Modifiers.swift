/// What may follow an operand: `[range]`, `[range:step]`, `offset d` and `@ t`, in any order
/// and binding tighter than every operator.
extension PromQLExpressionParser {
    mutating func parsePostfix(_ operand: PositionedExpr) throws(PromQLParseError) -> PositionedExpr {
        var node = operand
        // Tracked here rather than read off the tree, where `offset 0s` looks like no offset.
        var hasOffset = false
        var hasAt = false
        while true {
            switch current.kind {
            case .leftBracket:
                node = try parseRangeOrSubquery(of: node, hasOffset: hasOffset, hasAt: hasAt)
                if case .subquery = node.expr {
                    hasOffset = false
                    hasAt = false
                }
            case .keyword(.offset):
                let keyword = current.position
                try advance()
                let offset = try parseOffset()
                node.expr = try applying(to: node.expr, modifier: "offset", alreadySet: hasOffset, at: keyword) { selector in
                    selector.offset = offset
                } subquery: { subquery in
                    subquery.offset = offset
                }
                hasOffset = true
            case .at:
                let at = current.position
                try advance()
                let modifier = try parseAtModifier()
                node.expr = try applying(to: node.expr, modifier: "@", alreadySet: hasAt, at: at) { selector in
                    selector.at = modifier
                } subquery: { subquery in
                    subquery.at = modifier
                }
                hasAt = true
            default:
                return node
            }
        }
    }

    private mutating func parseRangeOrSubquery(of node: PositionedExpr, hasOffset: Bool, hasAt: Bool) throws(PromQLParseError) -> PositionedExpr {
        let bracket = current.position
        try advance()
        let range = try parseDuration(in: "subquery or range selector", expected: "number or duration", positive: true)
        switch current.kind {
        case .rightBracket:
            try advance()
            guard case .vectorSelector(let selector) = node.expr else {
                throw failure("ranges only allowed for vector selectors", at: bracket)
            }
            if hasOffset { throw failure("no offset modifiers allowed before range", at: bracket) }
            if hasAt { throw failure("no @ modifiers allowed before range", at: bracket) }
            return try self.node(.matrixSelector(MatrixSelector(selector: selector, range: range)), at: node.position, over: [node])
        case .colon:
            try advance()
            var step: Int64?
            if current.kind != .rightBracket {
                step = try parseDuration(in: "subquery selector", expected: "number, duration or \"]\"", positive: true)
                guard current.kind == .rightBracket else { throw unexpected(in: "subquery selector", expected: "\"]\"") }
            }
            try advance()
            guard node.type == .instantVector else {
                throw failure("subquery is only allowed on instant vector, got \(node.type.rawValue) instead", at: node.position)
            }
            return try self.node(.subquery(SubqueryExpr(expr: node.expr, range: range, step: step)), at: node.position, over: [node])
        default:
            throw unexpected(in: "subquery or range", expected: "\":\" or \"]\"")
        }
    }

    /// A duration literal, or a number of seconds (Prometheus 3), in milliseconds.
    private mutating func parseDuration(in context: String, expected: String, positive: Bool) throws(PromQLParseError) -> Int64 {
        let token = current
        let milliseconds: Int64
        switch token.kind {
        case .duration(let value):
            milliseconds = value
        case .number(let seconds):
            guard let value = PrometheusDuration.milliseconds(seconds: seconds) else {
                throw failure("duration out of range: \"\(token.text)\"", at: token.position)
            }
            milliseconds = value
        default:
            throw unexpected(in: context, expected: expected)
        }
        if positive && milliseconds <= 0 {
            throw failure("duration must be greater than 0", at: token.position)
        }
        try advance()
        return milliseconds
    }

    private mutating func parseOffset() throws(PromQLParseError) -> Int64 {
        let sign = try parseSign()
        return sign * (try parseDuration(in: "offset", expected: "number or duration", positive: false))
    }

    /// `@ <seconds since the epoch>`, `@ start()` or `@ end()`.
    private mutating func parseAtModifier() throws(PromQLParseError) -> AtModifier {
        if case .keyword(let keyword) = current.kind, keyword == .start || keyword == .end {
            try advance()
            guard current.kind == .leftParen else { throw unexpected(in: "@", expected: "\"(\"") }
            try advance()
            guard current.kind == .rightParen else { throw unexpected(in: "@", expected: "\")\"") }
            try advance()
            return keyword == .start ? .start : .end
        }
        let sign = Double(try parseSign())
        let token = current
        let seconds: Double
        switch token.kind {
        case .number(let value): seconds = sign * value
        case .duration(let milliseconds): seconds = sign * Double(milliseconds) / 1000
        default: throw unexpected(in: "@", expected: "timestamp")
        }
        guard let milliseconds = PrometheusTimestamp.milliseconds(seconds: seconds) else {
            throw failure("timestamp out of bounds for @ modifier: \(GoFloatFormat.shortestFixed(seconds))", at: token.position)
        }
        try advance()
        return .timestamp(milliseconds)
    }

    private mutating func parseSign() throws(PromQLParseError) -> Int64 {
        guard case .binaryOperator(let op) = current.kind, op == .add || op == .subtract else { return 1 }
        try advance()
        return op == .subtract ? -1 : 1
    }

    /// Offsets and `@` belong to a selector (inside a range selector, the inner one) or to a
    /// subquery; anything else is an error, as is setting either twice.
    private func applying(
        to expr: Expr, modifier: String, alreadySet: Bool, at position: Int,
        selector update: (inout VectorSelector) -> Void, subquery updateSubquery: (inout SubqueryExpr) -> Void
    ) throws(PromQLParseError) -> Expr {
        let updated: Expr
        switch expr {
        case .vectorSelector(var selector):
            update(&selector)
            updated = .vectorSelector(selector)
        case .matrixSelector(var matrix):
            update(&matrix.selector)
            updated = .matrixSelector(matrix)
        case .subquery(var subquery):
            updateSubquery(&subquery)
            updated = .subquery(subquery)
        default:
            throw failure("\(modifier) modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: position)
        }
        if alreadySet {
            throw failure(modifier == "@" ? "@ <timestamp> may not be set multiple times" : "offset may not be set multiple times", at: position)
        }
        return updated
    }
}
