import MetricStore

/// Vector selectors: `name`, `name{matchers}`, `{matchers}`.
extension PromQLExpressionParser {
    /// `current` is just past the metric name, if one was written, or on the `{`.
    mutating func parseVectorSelector(name: String?, at position: Int) throws(PromQLParseError) -> PositionedExpr {
        var matchers = name.map { [LabelMatcher.equal(Label.metricName, $0)] } ?? []
        if current.kind == .leftBrace {
            try advance()
            try parseMatchers(into: &matchers)
        }
        if let name, let second = matchers.dropFirst().first(where: { $0.name == Label.metricName }) {
            throw failure("metric name must not be set twice: \"\(name)\" or \"\(second.value)\"", at: position)
        }
        // Guards against selecting every series by accident, e.g. through a typo.
        if name == nil && matchers.allSatisfy(\.matchesEmpty) {
            throw failure("vector selector must contain at least one non-empty matcher", at: position)
        }
        return PositionedExpr(expr: .vectorSelector(VectorSelector(name: name, matchers: matchers)), position: position)
    }

    /// Matchers up to and including the closing `}`; a trailing comma is allowed. A quoted name
    /// on its own (`{"http.requests"}`) is the metric name, as in Prometheus 3.
    private mutating func parseMatchers(into matchers: inout [LabelMatcher]) throws(PromQLParseError) {
        while current.kind != .rightBrace {
            let label: String
            let quoted: Bool
            switch current.kind {
            case .identifier(let name): (label, quoted) = (name, false)
            case .string(let name): (label, quoted) = (name, true)
            default: throw unexpected(in: "label matching", expected: "identifier or \"}\"")
            }
            try advance()

            if quoted && (current.kind == .comma || current.kind == .rightBrace) {
                matchers.append(.equal(Label.metricName, label))
            } else {
                let kind: LabelMatcher.Kind
                switch current.kind {
                case .assign: kind = .equal
                case .binaryOperator(.notEqual): kind = .notEqual
                case .regexMatch: kind = .regex
                case .regexNoMatch: kind = .notRegex
                default: throw unexpected(in: "label matching", expected: "label matching operator")
                }
                try advance()
                guard case .string(let value) = current.kind else {
                    throw unexpected(in: "label matching", expected: "string")
                }
                do {
                    matchers.append(try LabelMatcher(label, kind, value))
                } catch {
                    throw failure(error.description, at: current.position)
                }
                try advance()
            }

            switch current.kind {
            case .comma: try advance()
            case .rightBrace: break
            default: throw unexpected(in: "label matching", expected: "\",\" or \"}\"")
            }
        }
        try advance()
    }
}
