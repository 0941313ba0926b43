/// Prometheus' `model.ParseDuration`, as the `parseDuration` template function uses it:
/// "1h2m10ms" is 3720.01 seconds. Units go from largest to smallest, each at most once.
enum PrometheusDuration {
    private static let units: [(name: String, nanoseconds: UInt64)] = [
        ("y", 365 * 86_400 * 1_000_000_000), ("w", 7 * 86_400 * 1_000_000_000), ("d", 86_400 * 1_000_000_000),
        ("h", 3_600 * 1_000_000_000), ("m", 60 * 1_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000),
    ]

    static func seconds(_ text: String) throws(TemplateFunction.Failure) -> Double {
        if text == "0" { return 0 }
        guard !text.isEmpty else { throw TemplateFunction.Failure(message: "empty duration string") }
        let invalid = TemplateFunction.Failure(message: "not a valid duration string: \(GoQuote.quote(text))")
        var rest = Substring(text)
        var total: UInt64 = 0
        var lastUnit = -1
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isWholeNumber }
            guard !digits.isEmpty, let value = UInt64(digits) else { throw invalid }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { !($0.isASCII && $0.isWholeNumber) }
            guard !unit.isEmpty else { throw invalid }
            rest = rest.dropFirst(unit.count)
            guard let index = units.firstIndex(where: { $0.name == unit }) else {
                throw TemplateFunction.Failure(message: "unknown unit \(GoQuote.quote(String(unit))) in duration \(GoQuote.quote(text))")
            }
            guard index > lastUnit else { throw invalid }
            lastUnit = index
            let (product, overflow) = value.multipliedReportingOverflow(by: units[index].nanoseconds)
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !overflow, !sumOverflow, sum <= UInt64(Int64.max) else {
                throw TemplateFunction.Failure(message: "duration out of range")
            }
            total = sum
        }
        return Double(total) / 1e9
    }
}
