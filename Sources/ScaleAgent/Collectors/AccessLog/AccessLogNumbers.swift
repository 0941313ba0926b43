/// The numbers of access-log fields, read straight from the line's bytes: no String, no
/// Foundation. Every function returns nil for text that is not what the field holds, which
/// the parser counts as an unparseable line.
enum AccessLogNumbers {
    /// What a timing field holds: a value, nothing (`-`, HAProxy's -1), or garbage.
    enum Timing: Equatable {
        case seconds(Double)
        case absent
        case invalid
    }

    /// A status code: 1 to 3 digits, or `-1` (HAProxy: the connection ended before a response).
    static func status(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        if range.count == 2, line[range.lowerBound] == UInt8(ascii: "-"), line[range.lowerBound + 1] == UInt8(ascii: "1") {
            return -1
        }
        guard (1...3).contains(range.count) else { return nil }
        var value = 0
        for index in range {
            let digit = Int(line[index]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// An unsigned decimal such as `0.123` or `2750`; at most 18 digits, so that it is exact
    /// before the one division.
    static func decimal(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        guard !range.isEmpty, range.count <= 19 else { return nil }
        var mantissa: Int64 = 0
        var fractionDigits = 0
        var sawPoint = false
        var digits = 0
        for index in range {
            let byte = line[index]
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
                continue
            }
            let digit = Int64(byte) - 48
            // The 19th digit could overflow Int64 (a trap, from one line of a log).
            guard (0...9).contains(digit), digits < 18 else { return nil }
            mantissa = mantissa * 10 + digit
            digits += 1
            if sawPoint { fractionDigits += 1 }
        }
        guard digits > 0 else { return nil }
        return Double(mantissa) / powersOfTen[fractionDigits]
    }

    private static let powersOfTen: [Double] = (0...19).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// A bytes field: a decimal count, `-` counted as 0.
    static func byteCount(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        if isDash(line, range) { return 0 }
        return decimal(line, range)
    }

    /// `$request_time`: seconds, or `-`.
    static func seconds(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Timing {
        if isDash(line, range) || range.isEmpty { return .absent }
        return decimal(line, range).map(Timing.seconds) ?? .invalid
    }

    /// `$upstream_response_time`: one time per server tried, `, ` between servers and ` : `
    /// between internal redirects, `-` for a server that gave no response (empty in JSON logs
    /// of requests that had no upstream). The sum is the
    /// time spent waiting for upstreams, which is what prometheus-nginxlog-exporter reports
    /// and what a slow upstream inflates; only dashes is absent.
    static func secondsList(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Timing {
        var sum = 0.0
        var any = false
        var itemStart = range.lowerBound
        var index = range.lowerBound
        while index <= range.upperBound {
            let isEnd = index == range.upperBound
            if isEnd || line[index] == UInt8(ascii: ",") || line[index] == UInt8(ascii: ":") {
                var item = itemStart..<index
                while !item.isEmpty, line[item.lowerBound] == UInt8(ascii: " ") { item = (item.lowerBound + 1)..<item.upperBound }
                while !item.isEmpty, line[item.upperBound - 1] == UInt8(ascii: " ") { item = item.lowerBound..<(item.upperBound - 1) }
                if !item.isEmpty, !isDash(line, item) {
                    guard let value = decimal(line, item) else { return .invalid }
                    sum += value
                    any = true
                }
                itemStart = index + 1
            }
            index += 1
        }
        return any ? .seconds(sum) : .absent
    }

    /// HAProxy's timers: milliseconds, `-1` when the stage was not reached, a `+` before the
    /// total with `option logasap`.
    static func milliseconds(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Timing {
        var digits = range
        if !digits.isEmpty, line[digits.lowerBound] == UInt8(ascii: "+") { digits = (digits.lowerBound + 1)..<digits.upperBound }
        if digits.count == 2, line[digits.lowerBound] == UInt8(ascii: "-"), line[digits.lowerBound + 1] == UInt8(ascii: "1") {
            return .absent
        }
        guard let value = decimal(line, digits) else { return .invalid }
        return .seconds(value / 1000)
    }

    /// The last server of an `$upstream_addr` list (the one whose response was logged).
    static func lastListItem(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var index = range.upperBound
        while index > range.lowerBound {
            index -= 1
            let byte = line[index]
            if byte == UInt8(ascii: ",") || (byte == UInt8(ascii: ":") && index + 1 < range.upperBound && line[index + 1] == UInt8(ascii: " ")) {
                start = index + 1
                break
            }
        }
        while start < range.upperBound, line[start] == UInt8(ascii: " ") { start += 1 }
        return start..<range.upperBound
    }

    static func isDash(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        range.count == 1 && line[range.lowerBound] == UInt8(ascii: "-")
    }
}
