import AlertEngine

/// Well-typed PromQL text drawn from a fuzzer's input: every choice (node kind, function,
/// operator, label, duration) is one byte, so libFuzzer's mutations change one part of the
/// expression and keep the rest. Names and values come from the series of
/// `PromQLFuzzSeries`, so that selectors find data and matching has something to match.
/// Depth and node count are bounded: the target looks for wrong answers to reasonable
/// queries, not for the parser's limits (the parser target has those).
struct PromQLExpressionGenerator {
    private var input: FuzzBytes
    private var nodes = 0
    private static let maxDepth = 6
    private static let maxNodes = 40

    init(_ input: FuzzBytes) {
        self.input = input
    }

    static let metricNames = [
        "node_cpu_seconds_total", "node_load1", "http_requests_total", "http_request_duration_seconds_bucket", "up",
        "missing_metric",
    ]
    static let labelNames = ["job", "mode", "cpu", "code", "le", "instance", "__name__"]
    static let labelValues = ["node", "app", "idle", "user", "0", "1", "200", "500", "0.5", "+Inf", "é", ""]
    static let regexes = [".*", "node_.*", "(a|b)+", "i.*|u.*", "[0-9]+", ".", "x*", "(.*)"]
    /// Mostly ranges that fit the data; the last two are extremes the evaluator must refuse
    /// quickly (a subquery grid beyond its sample limit, with any of `steps`) or survive (an
    /// offset near the end of Int64). Nothing in between: `[1y:7s]` is a legitimate query of
    /// millions of steps, whose seconds of work under AddressSanitizer read as hangs — as
    /// `[290y:5m]` did (30 million steps, under the 50 million limit), so the extreme is 2900y.
    static let ranges = ["1s", "15s", "1m", "5m", "10m", "1h", "1d", "90s", "1ms", "2900y", "292471208y"]
    static let steps = ["", "15s", "1m", "5m", "7s"]
    static let numbers = [
        "0", "1", "-1", "0.5", "2", "3", "100", "0.99", "1e308", "NaN", "Inf", "-Inf", "0x10", "1e-300", "9.3e18", "-9.3e18", "11001",
    ]
    static let strings = ["dst", "instance", "mode", "", "(.*)", "$1", "a|b", "cpu", "__name__", ",", "[", "le", "${1}x"]

    mutating func expression(_ type: ValueType) -> String {
        expression(type, depth: 0)
    }

    private var mustStop: Bool { input.isExhausted || nodes >= Self.maxNodes }

    private mutating func expression(_ type: ValueType, depth: Int) -> String {
        nodes += 1
        let leaf = depth >= Self.maxDepth || mustStop
        switch type {
        case .instantVector: return leaf ? selector() : instantVector(depth + 1)
        case .scalar: return leaf ? input.pick(Self.numbers) : scalar(depth + 1)
        case .rangeVector: return leaf ? selector() + "[\(input.pick(Self.ranges))]" : rangeVector(depth + 1)
        case .string: return "\"\(input.pick(Self.strings))\""
        }
    }

    private mutating func instantVector(_ depth: Int) -> String {
        switch input.choose(8) {
        case 0: return selector()
        case 1: return call(returning: .instantVector, depth)
        case 2: return aggregation(depth)
        case 3:
            let (op, isSet) = vectorOperator()
            return "\(expression(.instantVector, depth: depth)) \(op)\(isSet ? "" : comparisonBool(op))\(matching(isSet)) \(expression(.instantVector, depth: depth))"
        case 4:
            let op = arithmeticOrComparison()
            let scalar = expression(.scalar, depth: depth), vector = expression(.instantVector, depth: depth)
            return input.choose(2) == 0 ? "\(vector) \(op)\(comparisonBool(op)) \(scalar)" : "\(scalar) \(op)\(comparisonBool(op)) \(vector)"
        case 5: return "-\(expression(.instantVector, depth: depth))"
        case 6: return "(\(expression(.instantVector, depth: depth)))"
        default: return selector() + modifiers()
        }
    }

    private mutating func scalar(_ depth: Int) -> String {
        switch input.choose(5) {
        case 0: return input.pick(Self.numbers)
        case 1: return call(returning: .scalar, depth)
        case 2:
            let op = arithmeticOrComparison()
            let bool = Self.comparisons.contains(op) ? " bool" : ""
            return "\(expression(.scalar, depth: depth)) \(op)\(bool) \(expression(.scalar, depth: depth))"
        case 3: return "-\(expression(.scalar, depth: depth))"
        default: return "(\(expression(.scalar, depth: depth)))"
        }
    }

    private mutating func rangeVector(_ depth: Int) -> String {
        switch input.choose(3) {
        case 0: return selector() + "[\(input.pick(Self.ranges))]" + modifiers()
        case 1: return "(\(expression(.instantVector, depth: depth)))[\(input.pick(Self.ranges)):\(input.pick(Self.steps))]" + modifiers()
        default: return selector() + "[\(input.pick(Self.ranges))]"
        }
    }

    private static let functions = PromQLFunction.catalog.values.sorted { $0.name < $1.name }

    private mutating func call(returning type: ValueType, _ depth: Int) -> String {
        let candidates = Self.functions.filter { $0.returnType == type }
        let function = input.pick(candidates)
        var types = function.argumentTypes
        if function.optionalArguments == -1 {
            types += Array(repeating: types.last!, count: input.choose(3))
        } else if function.optionalArguments > 0 {
            types.removeLast(input.choose(function.optionalArguments + 1))
        }
        let arguments = types.map { expression($0, depth: depth) }
        return "\(function.name)(\(arguments.joined(separator: ", ")))"
    }

    private mutating func aggregation(_ depth: Int) -> String {
        let simple = ["sum", "avg", "min", "max", "count", "group", "stddev", "stdvar"]
        let parameterized = ["topk", "bottomk", "quantile", "count_values"]
        let choice = input.choose(simple.count + parameterized.count)
        let grouping = self.grouping()
        if choice < simple.count {
            return "\(simple[choice])\(grouping) (\(expression(.instantVector, depth: depth)))"
        }
        let op = parameterized[choice - simple.count]
        let parameter = op == "count_values" ? "\"\(input.pick(Self.strings))\"" : expression(.scalar, depth: depth)
        return "\(op)\(grouping) (\(parameter), \(expression(.instantVector, depth: depth)))"
    }

    private mutating func grouping() -> String {
        switch input.choose(3) {
        case 0: return ""
        case 1: return " by (\(labelList()))"
        default: return " without (\(labelList()))"
        }
    }

    private mutating func labelList() -> String {
        (0..<input.choose(3)).map { _ in input.pick(Self.labelNames) }.joined(separator: ", ")
    }

    private static let comparisons = ["==", "!=", ">", "<", ">=", "<="]
    private static let arithmetic = ["+", "-", "*", "/", "%", "^", "atan2"]

    private mutating func arithmeticOrComparison() -> String {
        input.pick(Self.arithmetic + Self.comparisons)
    }

    private mutating func vectorOperator() -> (String, isSet: Bool) {
        let op = input.pick(Self.arithmetic + Self.comparisons + ["and", "or", "unless"])
        return (op, ["and", "or", "unless"].contains(op))
    }

    private mutating func comparisonBool(_ op: String) -> String {
        Self.comparisons.contains(op) && input.choose(2) == 1 ? " bool" : ""
    }

    private mutating func matching(_ isSet: Bool) -> String {
        var text: String
        switch input.choose(3) {
        case 0: return ""
        case 1: text = " on (\(labelList()))"
        default: text = " ignoring (\(labelList()))"
        }
        guard !isSet else { return text }
        switch input.choose(3) {
        case 1: text += " group_left (\(labelList()))"
        case 2: text += " group_right (\(labelList()))"
        default: break
        }
        return text
    }

    private mutating func selector() -> String {
        var matchers: [String] = []
        for _ in 0..<input.choose(3) {
            let name = input.pick(Self.labelNames)
            switch input.choose(4) {
            case 0: matchers.append("\(name)=\"\(input.pick(Self.labelValues))\"")
            case 1: matchers.append("\(name)!=\"\(input.pick(Self.labelValues))\"")
            case 2: matchers.append("\(name)=~\"\(input.pick(Self.regexes))\"")
            default: matchers.append("\(name)!~\"\(input.pick(Self.regexes))\"")
            }
        }
        let braces = matchers.isEmpty ? "" : "{\(matchers.joined(separator: ", "))}"
        switch input.choose(4) {
        case 0 where !matchers.isEmpty: return braces
        default: return input.pick(Self.metricNames) + braces
        }
    }

    private mutating func modifiers() -> String {
        var text = ""
        switch input.choose(4) {
        case 1: text += " @ start()"
        case 2: text += " @ end()"
        case 3:
            // In the data mostly; now and then at the ends of what a timestamp can be.
            let at = input.choose(8)
            text += at == 0 ? " @ 9223372036854775.807" : at == 1 ? " @ -9223372036854775.808" : " @ \(PromQLFuzzSeries.start / 1000 + Int64(input.choose(4000)))"
        default: break
        }
        switch input.choose(3) {
        case 1: text += " offset \(input.pick(Self.ranges))"
        case 2: text += " offset -\(input.pick(Self.ranges))"
        default: break
        }
        return text
    }
}
