import MetricStore

/// Parses PromQL into an `Expr`, following Prometheus' grammar and type rules (2.x/3.x without
/// experimental features). Every error names the offending character offset.
public enum PromQLParser {
    /// How deep an expression may nest: parentheses, calls, aggregations and chains of
    /// operators (`1+1+…` is a chain as deep as it is long). Every walk over the tree (parsing,
    /// type checks, evaluation, printing, releasing it) recurses once per level and must fit
    /// in the 8 MiB stack of the threads that run one; Prometheus' Go stacks grow, ours do
    /// not. A debug build (as tests and fuzzers run) overflowed at about 600 nested calls;
    /// hand-written rules nest a few levels, and 256 leaves room for generated `or` chains.
    public static let maxDepth = 256

    public static func parse(_ input: String) throws(PromQLParseError) -> Expr {
        var parser = PromQLExpressionParser(input: input)
        return try parser.parseQuery()
    }
}

/// A sub-expression with the offset where it starts, which is where errors about it point,
/// its type and its depth, kept as it is built so that neither needs a walk of the tree.
struct PositionedExpr {
    var expr: Expr
    var position: Int
    let type: ValueType
    let depth: Int

    /// `type` may be left out where `expr.type` looks at no operand.
    init(expr: Expr, position: Int, type: ValueType? = nil, depth: Int = 1) {
        self.expr = expr
        self.position = position
        self.type = type ?? expr.type
        self.depth = depth
    }
}

/// Recursive descent for the operands, precedence climbing for binary operators. Each node is
/// type-checked as soon as it is built, so the first error in reading order is reported.
struct PromQLExpressionParser {
    let input: String
    private let tokens: [PromQLToken]
    private var index = 0
    /// parseExpression calls in progress: the parser's own recursion is bounded too.
    private var nesting = 0

    init(input: String) {
        self.input = input
        tokens = PromQLLexer.tokenize(PromQLLexer.runes(input))
    }

    var current: PromQLToken { tokens[index] }

    func peek() -> PromQLToken { tokens[min(index + 1, tokens.count - 1)] }

    /// Moves to the next token, reporting a lexical error once the parser reaches it.
    mutating func advance() throws(PromQLParseError) {
        if index + 1 < tokens.count { index += 1 }
        if case .error(let message) = current.kind { throw failure(message, at: current.position) }
    }

    func failure(_ message: String, at position: Int) -> PromQLParseError {
        PromQLParseError(message: message, position: position, input: input)
    }

    /// `unexpected <current token>[ in <context>][, expected <expected>]`, as Prometheus words it.
    func unexpected(in context: String? = nil, expected: String? = nil) -> PromQLParseError {
        var message = "unexpected \(current.summary)"
        if let context { message += " in \(context)" }
        if let expected { message += ", expected \(expected)" }
        return failure(message, at: current.position)
    }

    mutating func parseQuery() throws(PromQLParseError) -> Expr {
        if case .error(let message) = current.kind { throw failure(message, at: current.position) }
        if current.kind == .endOfInput { throw failure("no expression found in input", at: 0) }
        let query = try parseExpression()
        guard current.kind == .endOfInput else { throw unexpected() }
        return query.expr
    }

    /// Operands joined by operators that bind at least as tightly as `minimumPrecedence`.
    mutating func parseExpression(minimumPrecedence: Int = 0) throws(PromQLParseError) -> PositionedExpr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > PromQLParser.maxDepth { throw tooDeep(at: current.position) }
        var lhs = try parseUnary()
        while let op = binaryOperator(current), op.precedence >= minimumPrecedence {
            let operatorPosition = current.position
            try advance()
            let modifiers = try parseBinaryModifiers()
            let rhs = try parseExpression(minimumPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = try makeBinary(op, lhs, rhs, modifiers: modifiers, operatorPosition: operatorPosition)
        }
        return lhs
    }

    func tooDeep(at position: Int) -> PromQLParseError {
        failure("expression nests more than \(PromQLParser.maxDepth) levels deep", at: position)
    }

    /// A node over `children`, refused when it would nest too deep.
    func node(_ expr: Expr, at position: Int, type: ValueType? = nil, over children: [PositionedExpr]) throws(PromQLParseError) -> PositionedExpr {
        let depth = (children.map(\.depth).max() ?? 0) + 1
        if depth > PromQLParser.maxDepth { throw tooDeep(at: position) }
        return PositionedExpr(expr: expr, position: position, type: type, depth: depth)
    }

    private func binaryOperator(_ token: PromQLToken) -> BinaryOperator? {
        switch token.kind {
        case .binaryOperator(let op): return op
        case .keyword(let keyword): return keyword.binaryOperator
        default: return nil
        }
    }

    /// Unary `-`/`+` binds like `*`, so looser than `^`: `-2^2` is `-(2^2)`. A signed number
    /// literal folds into the literal, as in Prometheus.
    private mutating func parseUnary() throws(PromQLParseError) -> PositionedExpr {
        guard case .binaryOperator(let op) = current.kind, op == .add || op == .subtract else {
            return try parsePostfix(parsePrimary())
        }
        let position = current.position
        try advance()
        let operand = try parseExpression(minimumPrecedence: BinaryOperator.power.precedence)
        guard operand.type == .scalar || operand.type == .instantVector else {
            throw failure("unary expression only allowed on expressions of type scalar or instant vector, got \(operand.type.rawValue)", at: position)
        }
        if case .number(let value) = operand.expr {
            return PositionedExpr(expr: .number(op == .subtract ? -value : value), position: position)
        }
        guard op == .subtract else { return PositionedExpr(expr: operand.expr, position: position, type: operand.type, depth: operand.depth) }
        return try node(.negation(operand.expr), at: position, type: operand.type, over: [operand])
    }

    private mutating func parsePrimary() throws(PromQLParseError) -> PositionedExpr {
        let token = current
        switch token.kind {
        case .number(let value):
            try advance()
            return PositionedExpr(expr: .number(value), position: token.position)
        case .duration(let milliseconds):
            // Prometheus 3 reads a duration where a number is expected as that many seconds.
            try advance()
            return PositionedExpr(expr: .number(Double(milliseconds) / 1000), position: token.position)
        case .string(let value):
            try advance()
            return PositionedExpr(expr: .string(value), position: token.position)
        case .leftParen:
            try advance()
            let inner = try parseExpression()
            guard current.kind == .rightParen else {
                throw unexpected(in: "parenthesized expression", expected: "\")\"")
            }
            try advance()
            return try node(.paren(inner.expr), at: token.position, type: inner.type, over: [inner])
        case .leftBrace:
            return try parseVectorSelector(name: nil, at: token.position)
        case .identifier(let name):
            if peek().kind == .leftParen { return try parseFunctionCall() }
            try advance()
            return try parseVectorSelector(name: name, at: token.position)
        case .metricIdentifier(let name):
            try advance()
            return try parseVectorSelector(name: name, at: token.position)
        case .keyword(let keyword):
            if let aggregation = keyword.aggregation, startsAggregationBody(peek()) {
                return try parseAggregation(aggregation)
            }
            guard keyword.canNameMetric else { throw unexpected(expected: "expression") }
            try advance()
            return try parseVectorSelector(name: token.text, at: token.position)
        default:
            throw unexpected(expected: "expression")
        }
    }

    /// An aggregation keyword only aggregates when followed by its arguments or a grouping;
    /// otherwise it is a metric name (`sum + 1`).
    private func startsAggregationBody(_ token: PromQLToken) -> Bool {
        switch token.kind {
        case .leftParen, .keyword(.by), .keyword(.without): return true
        default: return false
        }
    }
}
