import MetricStore

/// A parsed PromQL expression. The tree mirrors Prometheus' own AST so that its evaluation
/// rules carry over one to one; every duration and timestamp is in milliseconds.
public indirect enum Expr: Sendable, Hashable {
    case number(Double)
    case string(String)
    case vectorSelector(VectorSelector)
    case matrixSelector(MatrixSelector)
    case subquery(SubqueryExpr)
    case call(FunctionCall)
    case aggregate(AggregateExpr)
    case binary(BinaryExpr)
    /// Unary minus; unary plus is dropped by the parser.
    case negation(Expr)
    case paren(Expr)
}

/// What an expression evaluates to, as PromQL's type checker sees it.
public enum ValueType: String, Sendable, Hashable {
    case scalar
    case instantVector = "instant vector"
    case rangeVector = "range vector"
    case string
}

/// `@ <timestamp>`, `@ start()` or `@ end()`.
public enum AtModifier: Sendable, Hashable {
    case timestamp(Int64)
    case start
    case end
}

/// `name{matchers} offset d @ t`. `matchers` always includes the `__name__` matcher when a
/// metric name was written, so evaluation only ever looks at `matchers`.
public struct VectorSelector: Sendable, Hashable {
    public var name: String?
    public var matchers: [LabelMatcher]
    public var offset: Int64
    public var at: AtModifier?

    public init(name: String?, matchers: [LabelMatcher], offset: Int64 = 0, at: AtModifier? = nil) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
        self.at = at
    }
}

/// `selector[range]`; offset and `@` live on the inner selector, as in Prometheus.
public struct MatrixSelector: Sendable, Hashable {
    public var selector: VectorSelector
    public var range: Int64

    public init(selector: VectorSelector, range: Int64) {
        self.selector = selector
        self.range = range
    }
}

/// `expr[range:step] offset d @ t`; a missing step means the rule or query's own interval.
public struct SubqueryExpr: Sendable, Hashable {
    public var expr: Expr
    public var range: Int64
    public var step: Int64?
    public var offset: Int64
    public var at: AtModifier?

    public init(expr: Expr, range: Int64, step: Int64?, offset: Int64 = 0, at: AtModifier? = nil) {
        self.expr = expr
        self.range = range
        self.step = step
        self.offset = offset
        self.at = at
    }
}

public struct FunctionCall: Sendable, Hashable {
    public var function: PromQLFunction
    public var args: [Expr]

    public init(function: PromQLFunction, args: [Expr]) {
        self.function = function
        self.args = args
    }
}

public enum AggregationOperator: String, Sendable, Hashable, CaseIterable {
    case sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"

    /// topk, bottomk, quantile and count_values take a parameter before the vector.
    public var takesParameter: Bool {
        switch self {
        case .topk, .bottomk, .quantile, .countValues: return true
        default: return false
        }
    }
}

/// `op by (labels) (parameter, expr)`; `without` flips the meaning of `grouping`.
public struct AggregateExpr: Sendable, Hashable {
    public var op: AggregationOperator
    public var expr: Expr
    public var parameter: Expr?
    public var grouping: [String]
    public var without: Bool

    public init(op: AggregationOperator, expr: Expr, parameter: Expr? = nil, grouping: [String] = [], without: Bool = false) {
        self.op = op
        self.expr = expr
        self.parameter = parameter
        self.grouping = grouping
        self.without = without
    }
}

public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^"
    case equal = "==", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="
    case and, or, unless
    case atan2

    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: return true
        default: return false
        }
    }

    public var isSetOperator: Bool {
        switch self {
        case .and, .or, .unless: return true
        default: return false
        }
    }

    /// Binding strength, higher binds tighter (Prometheus' precedence table).
    public var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .modulo, .atan2: return 5
        case .power: return 6
        }
    }

    /// `^` is the only right-associative operator.
    public var isRightAssociative: Bool { self == .power }
}

public enum MatchCardinality: String, Sendable, Hashable {
    case oneToOne = "one-to-one"
    case manyToOne = "many-to-one"
    case oneToMany = "one-to-many"
}

/// `on(...)`/`ignoring(...)` and `group_left(...)`/`group_right(...)` of a binary operation
/// between two vectors. Without any of them the parser still fills in a one-to-one matching
/// on all labels (`on: false`, no labels), as Prometheus does.
public struct VectorMatching: Sendable, Hashable {
    public var cardinality: MatchCardinality
    public var labels: [String]
    /// true for `on(labels)`, false for `ignoring(labels)`.
    public var on: Bool
    /// The extra labels named in `group_left(...)`/`group_right(...)`.
    public var include: [String]

    public init(cardinality: MatchCardinality = .oneToOne, labels: [String] = [], on: Bool = false, include: [String] = []) {
        self.cardinality = cardinality
        self.labels = labels
        self.on = on
        self.include = include
    }
}

public struct BinaryExpr: Sendable, Hashable {
    public var op: BinaryOperator
    public var lhs: Expr
    public var rhs: Expr
    /// The `bool` modifier of a comparison.
    public var returnBool: Bool
    /// Set only when both sides are instant vectors.
    public var matching: VectorMatching?

    public init(op: BinaryOperator, lhs: Expr, rhs: Expr, returnBool: Bool = false, matching: VectorMatching? = nil) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
    }
}
