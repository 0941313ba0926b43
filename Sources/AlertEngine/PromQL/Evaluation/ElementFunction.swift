/// The functions that map each element of an instant vector to a new value, dropping the
/// metric name because the value no longer means what the name says.
enum ElementFunction {
    case abs, ceil, floor, exp, ln, log2, log10, sqrt, sgn
    case round, clamp, clampMin, clampMax
    /// minute(), hour(), … of a Unix time in seconds.
    case date(DateField)

    enum DateField {
        case minute, hour, dayOfWeek, dayOfMonth, dayOfYear, daysInMonth, month, year

        func apply(_ seconds: Double) -> Double {
            switch self {
            case .minute: return DateFunctions.minute(seconds)
            case .hour: return DateFunctions.hour(seconds)
            case .dayOfWeek: return DateFunctions.dayOfWeek(seconds)
            case .dayOfMonth: return DateFunctions.dayOfMonth(seconds)
            case .dayOfYear: return DateFunctions.dayOfYear(seconds)
            case .daysInMonth: return DateFunctions.daysInMonth(seconds)
            case .month: return DateFunctions.month(seconds)
            case .year: return DateFunctions.year(seconds)
            }
        }
    }

    init?(name: String) {
        switch name {
        case "abs": self = .abs
        case "ceil": self = .ceil
        case "floor": self = .floor
        case "exp": self = .exp
        case "ln": self = .ln
        case "log2": self = .log2
        case "log10": self = .log10
        case "sqrt": self = .sqrt
        case "sgn": self = .sgn
        case "round": self = .round
        case "clamp": self = .clamp
        case "clamp_min": self = .clampMin
        case "clamp_max": self = .clampMax
        case "minute": self = .date(.minute)
        case "hour": self = .date(.hour)
        case "day_of_week": self = .date(.dayOfWeek)
        case "day_of_month": self = .date(.dayOfMonth)
        case "day_of_year": self = .date(.dayOfYear)
        case "days_in_month": self = .date(.daysInMonth)
        case "month": self = .date(.month)
        case "year": self = .date(.year)
        default: return nil
        }
    }

    var isDate: Bool {
        if case .date = self { return true }
        return false
    }

    /// The new value, or nil to drop the element (clamp with min above max).
    @inline(__always)
    func apply(_ value: Double, _ first: Double, _ second: Double) -> Double? {
        switch self {
        case .abs: return InstantFunctions.abs(value)
        case .ceil: return InstantFunctions.ceil(value)
        case .floor: return InstantFunctions.floor(value)
        case .exp: return InstantFunctions.exp(value)
        case .ln: return InstantFunctions.ln(value)
        case .log2: return InstantFunctions.log2(value)
        case .log10: return InstantFunctions.log10(value)
        case .sqrt: return InstantFunctions.sqrt(value)
        case .sgn: return InstantFunctions.sgn(value)
        case .round: return InstantFunctions.round(value, toNearest: first)
        case .clamp: return InstantFunctions.clamp(value, min: first, max: second)
        case .clampMin: return InstantFunctions.clampMin(value, min: first)
        case .clampMax: return InstantFunctions.clampMax(value, max: first)
        case let .date(field): return field.apply(value)
        }
    }
}
