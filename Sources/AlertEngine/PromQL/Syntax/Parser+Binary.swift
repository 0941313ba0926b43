/// Binary operations: the `bool`, `on`/`ignoring` and `group_left`/`group_right` modifiers
/// after the operator, and the type rules for both operands.
extension PromQLExpressionParser {
    struct BinaryModifiers {
        var returnBool = false
        var matching: VectorMatching?
    }

    mutating func parseBinaryModifiers() throws(PromQLParseError) -> BinaryModifiers {
        var modifiers = BinaryModifiers()
        if current.kind == .keyword(.bool) {
            modifiers.returnBool = true
            try advance()
        }
        guard case .keyword(let keyword) = current.kind, keyword == .on || keyword == .ignoring else {
            return modifiers
        }
        try advance()
        var matching = VectorMatching(cardinality: .oneToOne, labels: try parseGroupingLabels(), on: keyword == .on)
        if case .keyword(let group) = current.kind, group == .groupLeft || group == .groupRight {
            try advance()
            matching.cardinality = group == .groupLeft ? .manyToOne : .oneToMany
            // The label list is optional; a `(` right after the keyword always starts it, as
            // in Prometheus, so `a * on(b) group_left (c)` lacks its right operand.
            matching.include = current.kind == .leftParen ? try parseGroupingLabels() : []
        }
        modifiers.matching = matching
        return modifiers
    }

    /// Between two instant vectors the matching is always filled in, one-to-one on all labels
    /// by default. Set operators keep the cardinality `.oneToOne` here although Prometheus calls
    /// them many-to-many: they never match one-to-one, so the evaluator can tell them apart by
    /// operator, and `group_left`/`group_right` are rejected for them.
    mutating func makeBinary(_ op: BinaryOperator, _ lhs: PositionedExpr, _ rhs: PositionedExpr, modifiers: BinaryModifiers, operatorPosition: Int) throws(PromQLParseError) -> PositionedExpr {
        if modifiers.returnBool && !op.isComparison {
            throw failure("bool modifier can only be used on comparison operators", at: operatorPosition)
        }
        if op.isComparison && !modifiers.returnBool && lhs.type == .scalar && rhs.type == .scalar {
            throw failure("comparisons between scalars must use BOOL modifier", at: operatorPosition)
        }
        if let matching = modifiers.matching, matching.on, let label = matching.labels.first(where: matching.include.contains) {
            throw failure("label \"\(label)\" must not occur in ON and GROUP clause at once", at: operatorPosition)
        }
        for side in [lhs, rhs] where side.type != .scalar && side.type != .instantVector {
            throw failure("binary expression must contain only scalar and instant vector types", at: side.position)
        }

        var matching = modifiers.matching
        if lhs.type == .instantVector && rhs.type == .instantVector {
            if op.isSetOperator, let matching, matching.cardinality != .oneToOne {
                throw failure("no grouping allowed for \"\(op.rawValue)\" operation", at: operatorPosition)
            }
            matching = matching ?? VectorMatching()
        } else {
            if let matching, !matching.labels.isEmpty {
                throw failure("vector matching only allowed between instant vectors", at: operatorPosition)
            }
            matching = nil
        }
        if op.isSetOperator && (lhs.type == .scalar || rhs.type == .scalar) {
            throw failure("set operator \"\(op.rawValue)\" not allowed in binary scalar expression", at: operatorPosition)
        }

        let binary = BinaryExpr(op: op, lhs: lhs.expr, rhs: rhs.expr, returnBool: modifiers.returnBool, matching: matching)
        let type: ValueType = lhs.type == .scalar && rhs.type == .scalar ? .scalar : .instantVector
        // A chain too long is reported at the operator that made it so, not at its start.
        if max(lhs.depth, rhs.depth) >= PromQLParser.maxDepth { throw tooDeep(at: operatorPosition) }
        return try node(.binary(binary), at: lhs.position, type: type, over: [lhs, rhs])
    }
}
