extension Expr {
    /// What the expression evaluates to, by Prometheus' typing rules: an operation on two
    /// scalars is a scalar, any other binary operation an instant vector.
    public var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector, .aggregate: return .instantVector
        case .matrixSelector, .subquery: return .rangeVector
        case .call(let call): return call.function.returnType
        case .binary(let binary):
            return binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .instantVector
        case .negation(let operand), .paren(let operand): return operand.type
        }
    }
}
