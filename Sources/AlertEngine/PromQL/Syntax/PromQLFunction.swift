/// A PromQL function's signature: the parser checks calls against it, the evaluator
/// dispatches on `name`.
public struct PromQLFunction: Sendable, Hashable {
    public let name: String
    public let argumentTypes: [ValueType]
    /// How many trailing arguments may be left out (`round(v)`, `label_join(v, dst, sep)`),
    /// or -1 when the last argument type repeats without limit (`label_join`'s sources).
    public let optionalArguments: Int
    public let returnType: ValueType

    public init(_ name: String, _ argumentTypes: [ValueType], optional: Int = 0, returns: ValueType) {
        self.name = name
        self.argumentTypes = argumentTypes
        self.optionalArguments = optional
        self.returnType = returns
    }

    public static func named(_ name: String) -> PromQLFunction? { catalog[name] }

    /// The functions scalewatch evaluates, with Prometheus' signatures.
    public static let catalog: [String: PromQLFunction] = {
        let v = ValueType.instantVector, m = ValueType.rangeVector, s = ValueType.scalar, str = ValueType.string
        let all: [PromQLFunction] = [
            // Range-vector functions.
            .init("rate", [m], returns: v), .init("irate", [m], returns: v), .init("increase", [m], returns: v),
            .init("delta", [m], returns: v), .init("idelta", [m], returns: v), .init("deriv", [m], returns: v),
            .init("predict_linear", [m, s], returns: v), .init("resets", [m], returns: v),
            .init("changes", [m], returns: v),
            .init("avg_over_time", [m], returns: v), .init("min_over_time", [m], returns: v),
            .init("max_over_time", [m], returns: v), .init("sum_over_time", [m], returns: v),
            .init("count_over_time", [m], returns: v), .init("last_over_time", [m], returns: v),
            .init("quantile_over_time", [s, m], returns: v), .init("stddev_over_time", [m], returns: v),
            .init("stdvar_over_time", [m], returns: v), .init("present_over_time", [m], returns: v),
            .init("absent_over_time", [m], returns: v),
            // Instant-vector functions.
            .init("absent", [v], returns: v),
            .init("abs", [v], returns: v), .init("ceil", [v], returns: v), .init("floor", [v], returns: v),
            .init("round", [v, s], optional: 1, returns: v),
            .init("clamp", [v, s, s], returns: v), .init("clamp_min", [v, s], returns: v),
            .init("clamp_max", [v, s], returns: v),
            .init("exp", [v], returns: v), .init("ln", [v], returns: v), .init("log2", [v], returns: v),
            .init("log10", [v], returns: v), .init("sqrt", [v], returns: v), .init("sgn", [v], returns: v),
            .init("timestamp", [v], returns: v),
            .init("sort", [v], returns: v), .init("sort_desc", [v], returns: v),
            .init("label_replace", [v, str, str, str, str], returns: v),
            .init("label_join", [v, str, str, str], optional: -1, returns: v),
            .init("histogram_quantile", [s, v], returns: v),
            .init("minute", [v], optional: 1, returns: v), .init("hour", [v], optional: 1, returns: v),
            .init("day_of_week", [v], optional: 1, returns: v), .init("day_of_month", [v], optional: 1, returns: v),
            .init("day_of_year", [v], optional: 1, returns: v), .init("days_in_month", [v], optional: 1, returns: v),
            .init("month", [v], optional: 1, returns: v), .init("year", [v], optional: 1, returns: v),
            // Conversions.
            .init("time", [], returns: s), .init("vector", [s], returns: v), .init("scalar", [v], returns: s),
            .init("pi", [], returns: s),
        ]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }()
}
