/// Prometheus' `humanize*` template functions, with its exact thresholds and `%.4g` output.
enum PrometheusHumanize {
    typealias Failure = TemplateFunction.Failure

    /// Prometheus' `convertToFloat`: numbers, and strings in Go's float syntax.
    static func float(_ value: TemplateValue) throws(Failure) -> Double {
        switch value {
        case .float(let number): return number
        case .int(let number): return Double(number)
        case .string(let text):
            switch GoNumberSyntax.parseFloat(text) {
            case .success(let number): return number
            case .failure(let failure):
                let reason = failure == .range ? "value out of range" : "invalid syntax"
                throw Failure(message: "strconv.ParseFloat: parsing \(GoQuote.quote(text)): \(reason)")
            }
        default:
            throw Failure(message: "can't convert \(value.goTypeName) to float")
        }
    }

    /// SI prefixes: 1234567 is "1.235M", 0.012 is "12m".
    static func humanize(_ value: Double) -> String {
        if value == 0 || !value.isFinite { return fourDigits(value) }
        var value = value
        var prefix = ""
        if abs(value) >= 1 {
            for next in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(value) < 1000 { break }
                prefix = next
                value /= 1000
            }
        } else {
            for next in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(value) >= 1 { break }
                prefix = next
                value *= 1000
            }
        }
        return fourDigits(value) + prefix
    }

    /// Binary prefixes: 1048576 is "1Mi". Values up to 1 in size are printed as they are.
    static func humanize1024(_ value: Double) -> String {
        if abs(value) <= 1 || !value.isFinite { return fourDigits(value) }
        var value = value
        var prefix = ""
        for next in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(value) < 1024 { break }
            prefix = next
            value /= 1024
        }
        return fourDigits(value) + prefix
    }

    /// Seconds as "1d 2h 3m 4s" (whole seconds from a minute up), "1.5s", or "100ms".
    static func duration(_ value: Double) -> String {
        if !value.isFinite { return fourDigits(value) }
        if value == 0 { return fourDigits(value) + "s" }
        var value = value
        if abs(value) >= 1 {
            var sign = ""
            if value < 0 {
                sign = "-"
                value = -value
            }
            let whole = goInt64(value)
            let seconds = whole % 60
            let minutes = (whole / 60) % 60
            let hours = (whole / 60 / 60) % 24
            let days = whole / 60 / 60 / 24
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + fourDigits(value) + "s"
        }
        var prefix = ""
        for next in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(value) >= 1 { break }
            prefix = next
            value *= 1000
        }
        return fourDigits(value) + prefix + "s"
    }

    /// A ratio as a percentage: 0.1234567 is "12.35%".
    static func percentage(_ value: Double) -> String {
        fourDigits(value * 100) + "%"
    }

    /// Unix seconds as Go prints a UTC `time.Time`, to the millisecond as Prometheus keeps it:
    /// "2015-06-23 13:19:44.128 +0000 UTC".
    static func timestamp(_ value: Double) throws(Failure) -> String {
        if !value.isFinite { return fourDigits(value) }
        let nanoseconds = value * 1e9
        // Go compares against MaxInt64, which as a float64 is 2^63 itself; 2^63 does not fit.
        guard nanoseconds < 0x1p63 && nanoseconds >= -0x1p63 else {
            throw Failure(
                message: "\(GoFormat.printed(.float(value))) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        return GoTime.utcDescription(unixMilliseconds: Int64(nanoseconds) / 1_000_000)
    }

    private static func fourDigits(_ value: Double) -> String {
        GoFloatFormat.format(value, verb: "g", precision: 4)
    }

    /// Go's `int64(v)` truncates; out of range it yields MinInt64 on amd64, which we copy
    /// rather than trap.
    private static func goInt64(_ value: Double) -> Int64 {
        Int64(exactly: value.rounded(.towardZero)) ?? Int64.min
    }
}
