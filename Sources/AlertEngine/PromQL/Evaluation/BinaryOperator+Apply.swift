import Foundation

extension BinaryOperator {
    /// Arithmetic yields a new value; a comparison keeps the left value if it holds.
    @inline(__always)
    func apply(_ lhs: Double, _ rhs: Double) -> (value: Double, keep: Bool) {
        switch self {
        case .add: return (lhs + rhs, true)
        case .subtract: return (lhs - rhs, true)
        case .multiply: return (lhs * rhs, true)
        case .divide: return (lhs / rhs, true)
        case .modulo: return (fmod(lhs, rhs), true)
        case .power: return (pow(lhs, rhs), true)
        case .atan2: return (Foundation.atan2(lhs, rhs), true)
        case .equal: return (lhs, lhs == rhs)
        case .notEqual: return (lhs, lhs != rhs)
        case .greater: return (lhs, lhs > rhs)
        case .less: return (lhs, lhs < rhs)
        case .greaterOrEqual: return (lhs, lhs >= rhs)
        case .lessOrEqual: return (lhs, lhs <= rhs)
        case .and, .or, .unless: preconditionFailure("set operators have no element values")
        }
    }

    /// Arithmetic changes what the value means, so the metric name goes.
    var dropsMetricName: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo, .power, .atan2: return true
        default: return false
        }
    }
}
