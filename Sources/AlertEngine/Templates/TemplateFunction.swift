/// The functions a template can call: Go's builtins and Prometheus' alert-template functions.
/// The parser rejects any other name, as Go does with its function map.
enum TemplateFunction: String, Sendable {
    // Go's builtins.
    case and, or, not, len, index, eq, ne, lt, le, gt, ge, print, printf, println, html, urlquery
    // Prometheus' functions that need no query engine.
    case humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp
    case toUpper, toLower, title, match, reReplaceAll, stripPort, stripDomain, safeHtml
    case externalURL, pathPrefix, graphLink, tableLink, parseDuration
    // Prometheus' query functions: they need `TemplateQuery`.
    case query, first, label, value, strvalue, sortByLabel

    /// What a parameter accepts. Go's `interface{}` and `reflect.Value` parameters take any
    /// value; `string` ones take strings only, and a constant only if it is a string constant.
    enum Parameter: Sendable {
        case any
        case string
    }

    struct Signature: Sendable {
        let fixed: [Parameter]
        let variadic: Parameter?
    }

    /// A function's own failure; the executor reports it as `error calling NAME: message`.
    struct Failure: Error {
        let message: String
    }

    var signature: Signature {
        switch self {
        case .and, .or, .index, .eq: return Signature(fixed: [.any], variadic: .any)
        case .not, .len: return Signature(fixed: [.any], variadic: nil)
        case .ne, .lt, .le, .gt, .ge: return Signature(fixed: [.any, .any], variadic: nil)
        case .print, .println, .html, .urlquery: return Signature(fixed: [], variadic: .any)
        case .printf: return Signature(fixed: [.string], variadic: .any)
        case .humanize, .humanize1024, .humanizeDuration, .humanizePercentage, .humanizeTimestamp:
            return Signature(fixed: [.any], variadic: nil)
        case .toUpper, .toLower, .title, .stripPort, .stripDomain, .safeHtml, .graphLink, .tableLink, .parseDuration:
            return Signature(fixed: [.string], variadic: nil)
        case .match: return Signature(fixed: [.string, .string], variadic: nil)
        case .reReplaceAll: return Signature(fixed: [.string, .string, .string], variadic: nil)
        case .externalURL, .pathPrefix: return Signature(fixed: [], variadic: nil)
        case .query: return Signature(fixed: [.string], variadic: nil)
        case .first, .value, .strvalue: return Signature(fixed: [.any], variadic: nil)
        case .label, .sortByLabel: return Signature(fixed: [.string, .any], variadic: nil)
        }
    }

    /// Runs the function on arguments the executor has already checked against `signature`.
    /// `and` and `or` must not come here: they evaluate their arguments lazily, which only
    /// the executor can do.
    func call(_ arguments: [TemplateValue], data: TemplateData, query: TemplateQuery?) throws(Failure) -> TemplateValue {
        func string(_ index: Int) -> String {
            if case .string(let text) = arguments[index] { return text }
            return ""
        }
        switch self {
        case .and, .or: preconditionFailure("BUG: \(rawValue) is evaluated by TemplateExecutor, argument by argument")
        case .not: return .bool(!arguments[0].isTrue)
        case .len: return try TemplateBuiltins.length(arguments[0])
        case .index: return try TemplateBuiltins.index(arguments[0], by: Array(arguments.dropFirst()))
        case .eq: return .bool(try TemplateComparison.equal(arguments[0], toAnyOf: Array(arguments.dropFirst())))
        case .ne: return .bool(!(try TemplateComparison.equal(arguments[0], toAnyOf: [arguments[1]])))
        case .lt: return .bool(try TemplateComparison.less(arguments[0], arguments[1]))
        case .le: return .bool(try TemplateComparison.lessOrEqual(arguments[0], arguments[1]))
        case .gt: return .bool(!(try TemplateComparison.lessOrEqual(arguments[0], arguments[1])))
        case .ge: return .bool(!(try TemplateComparison.less(arguments[0], arguments[1])))
        case .print: return .string(GoFormat.sprint(arguments))
        case .printf: return .string(GoFormat.sprintf(string(0), Array(arguments.dropFirst())))
        case .println: return .string(GoFormat.sprintln(arguments))
        case .html: return .string(TemplateBuiltins.htmlEscape(TemplateBuiltins.argumentText(arguments)))
        case .urlquery: return .string(GoURL.queryEscape(TemplateBuiltins.argumentText(arguments)))
        case .humanize: return .string(PrometheusHumanize.humanize(try PrometheusHumanize.float(arguments[0])))
        case .humanize1024: return .string(PrometheusHumanize.humanize1024(try PrometheusHumanize.float(arguments[0])))
        case .humanizeDuration:
            return .string(PrometheusHumanize.duration(try PrometheusHumanize.float(arguments[0])))
        case .humanizePercentage:
            return .string(PrometheusHumanize.percentage(try PrometheusHumanize.float(arguments[0])))
        case .humanizeTimestamp:
            return .string(try PrometheusHumanize.timestamp(try PrometheusHumanize.float(arguments[0])))
        case .toUpper: return .string(GoStrings.toUpper(string(0)))
        case .toLower: return .string(GoStrings.toLower(string(0)))
        case .title: return .string(GoStrings.title(string(0)))
        case .match: return .bool(try GoRegex(string(0), compileError: { "error parsing regexp: \($0)" }).matches(string(1)))
        case .reReplaceAll:
            let pattern = string(0)
            // Go's MustCompile backquotes the pattern when it can.
            let quoted = GoQuote.canBackquote(pattern) ? "`\(pattern)`" : GoQuote.quote(pattern)
            let regex = try GoRegex(pattern, compileError: { "regexp: Compile(\(quoted)): error parsing regexp: \($0)" })
            return .string(regex.replaceAll(in: string(2), with: string(1)))
        case .stripPort: return .string(HostPort.stripPort(string(0)))
        case .stripDomain: return .string(HostPort.stripDomain(string(0)))
        case .safeHtml: return arguments[0]
        case .externalURL: return .string(data.externalURL)
        case .pathPrefix: return .string(GoURL.path(of: data.externalURL))
        case .graphLink: return .string("/graph?g0.expr=\(GoURL.queryEscape(string(0)))&g0.tab=0")
        case .tableLink: return .string("/graph?g0.expr=\(GoURL.queryEscape(string(0)))&g0.tab=1")
        case .query:
            guard let query else { throw Failure(message: "no query engine here: query runs in alerting rules only") }
            do {
                return .queryResult(try query(string(0)))
            } catch {
                throw Failure(message: error.message)
            }
        case .first:
            let samples = try TemplateQueryFunctions.samples(arguments[0])
            guard let first = samples.first else { throw Failure(message: "first() called on vector with no elements") }
            return .sample(first)
        case .label: return .string(try TemplateQueryFunctions.sample(arguments[1]).labels[string(0)] ?? "")
        case .value: return .float(try TemplateQueryFunctions.sample(arguments[0]).value)
        case .strvalue: return .string(try TemplateQueryFunctions.sample(arguments[0]).labels["__value__"] ?? "")
        case .sortByLabel:
            let samples = try TemplateQueryFunctions.samples(arguments[1])
            let name = string(0)
            // Go's sort.Stable: equal labels keep the query's order.
            let sorted = samples.enumerated().sorted { a, b in
                let (left, right) = (a.element.labels[name] ?? "", b.element.labels[name] ?? "")
                return left == right ? a.offset < b.offset : left.utf8.lexicographicallyPrecedes(right.utf8)
            }
            return .queryResult(sorted.map(\.element))
        case .parseDuration:
            do {
                return .float(Double(try PrometheusDuration.milliseconds(parsing: string(0))) / 1000)
            } catch {
                throw Failure(message: error.description)
            }
        }
    }
}
