/// A value during execution. The cases are the Go types an alert template can meet, and Go's
/// rules for them (truth, comparison, printing, type names in messages) are kept.
enum TemplateValue: Sendable, Hashable {
    /// Go's invalid `reflect.Value` / nil interface: what `nil` evaluates to.
    case noValue
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// `map[string]string`: `.Labels` and `.ExternalLabels`.
    case stringMap([String: String])
    /// The template's root data, Prometheus' anonymous struct.
    case alertData(TemplateData)
    /// `*template.sample`: one element of a query's result (`first`, `range`).
    case sample(TemplateSample)
    /// `template.queryResult`: what `query` and `sortByLabel` return.
    case queryResult([TemplateSample])

    /// The Go type, as Go's error messages and `%T` spell it.
    var goTypeName: String {
        switch self {
        case .noValue: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float64"
        case .string: return "string"
        case .stringMap: return "map[string]string"
        case .alertData:
            return "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }"
        case .sample: return "*template.sample"
        case .queryResult: return "template.queryResult"
        }
    }

    /// Go's `template.IsTrue`: the zero value of a type is false, a struct is always true.
    var isTrue: Bool {
        switch self {
        case .noValue: return false
        case .bool(let value): return value
        case .int(let value): return value != 0
        case .float(let value): return value != 0
        case .string(let value): return !value.isEmpty
        case .stringMap(let map): return !map.isEmpty
        case .alertData: return true
        case .sample: return true
        case .queryResult(let samples): return !samples.isEmpty
        }
    }

    /// Go iterates maps in templates sorted by key; string keys compare byte by byte.
    static func sortedKeys(_ map: [String: String]) -> [String] {
        map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
