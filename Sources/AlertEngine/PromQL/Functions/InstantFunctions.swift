import Foundation

/// The per-value functions of instant vectors (`abs`, `round`, `clamp`, `ln`, …), with the
/// results Prometheus computes through Go's `math` package. `exp` is the C library's: Go's
/// amd64 assembly for it depends on the CPU, so no single answer exists to match.
enum InstantFunctions {
    /// Applies the function `name` to one sample value; `arguments` are the scalar arguments
    /// after the vector (`round`'s `to_nearest`, `clamp`'s bounds). For the date functions the
    /// value is a Unix time in seconds. `nil` when the sample is dropped (`clamp` with
    /// min > max) or `name` is not a per-value function (or lacks a required argument).
    static func apply(_ name: String, _ value: Double, arguments: [Double]) -> Double? {
        switch name {
        case "abs": return abs(value)
        case "ceil": return ceil(value)
        case "floor": return floor(value)
        case "round": return round(value, toNearest: arguments.first ?? 1)
        case "exp": return exp(value)
        case "ln": return ln(value)
        case "log2": return log2(value)
        case "log10": return log10(value)
        case "sqrt": return sqrt(value)
        case "sgn": return sgn(value)
        case "clamp":
            guard arguments.count >= 2 else { return nil }
            return clamp(value, min: arguments[0], max: arguments[1])
        case "clamp_min":
            guard let minimum = arguments.first else { return nil }
            return clampMin(value, min: minimum)
        case "clamp_max":
            guard let maximum = arguments.first else { return nil }
            return clampMax(value, max: maximum)
        case "minute": return DateFunctions.minute(value)
        case "hour": return DateFunctions.hour(value)
        case "day_of_week": return DateFunctions.dayOfWeek(value)
        case "day_of_month": return DateFunctions.dayOfMonth(value)
        case "day_of_year": return DateFunctions.dayOfYear(value)
        case "days_in_month": return DateFunctions.daysInMonth(value)
        case "month": return DateFunctions.month(value)
        case "year": return DateFunctions.year(value)
        default: return nil
        }
    }

    static func abs(_ value: Double) -> Double { Swift.abs(value) }
    static func ceil(_ value: Double) -> Double { value.rounded(.up) }
    static func floor(_ value: Double) -> Double { value.rounded(.down) }
    static func sqrt(_ value: Double) -> Double { value.squareRoot() }
    static func exp(_ value: Double) -> Double { Foundation.exp(value) }
    static func ln(_ value: Double) -> Double { GoMath.log(value) }
    static func log2(_ value: Double) -> Double { GoMath.log2(value) }
    static func log10(_ value: Double) -> Double { GoMath.log10(value) }

    /// -1, 0 or 1 by sign; NaN and signed zeros come back unchanged.
    static func sgn(_ value: Double) -> Double {
        if value < 0 { return -1 }
        if value > 0 { return 1 }
        return value
    }

    /// Rounds to the nearest multiple of `toNearest`, ties upwards (-2.5 → -2). Prometheus
    /// multiplies by the reciprocal rather than dividing (it found fewer precision surprises
    /// that way); doing the same keeps every result identical to its.
    static func round(_ value: Double, toNearest: Double = 1) -> Double {
        let inverse = 1 / toNearest
        return (value * inverse + 0.5).rounded(.down) / inverse
    }

    /// `nil` when `min > max`: Prometheus then returns no sample at all. A NaN bound or
    /// value gives NaN.
    static func clamp(_ value: Double, min minimum: Double, max maximum: Double) -> Double? {
        if maximum < minimum { return nil }
        return GoMath.max(minimum, GoMath.min(maximum, value))
    }

    static func clampMin(_ value: Double, min minimum: Double) -> Double {
        GoMath.max(minimum, GoMath.min(.infinity, value))
    }

    static func clampMax(_ value: Double, max maximum: Double) -> Double {
        GoMath.max(-.infinity, GoMath.min(maximum, value))
    }
}
