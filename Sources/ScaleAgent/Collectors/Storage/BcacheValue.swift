/// The values bcache writes to sysfs (drivers/md/bcache/sysfs.c): plain integers, or sizes
/// humanised by `bch_hprint` as an integer, an optional one-digit fraction and a binary
/// unit (`20.4G`, `321.5k`), and the lines of `writeback_rate_debug`.
enum BcacheValue {
    /// A size or count, possibly humanised. The fraction printed by `bch_hprint` is the
    /// remainder in 1024ths scaled to tenths, so `.4` is undone as 4/10.24, as procfs does:
    /// node_exporter's values come out the same.
    static func unsigned(_ text: Substring, file: String, line: Int = 1) throws(ParseError) -> UInt64 {
        guard let value = magnitude(text) else {
            throw ParseError(file: file, line: line, "expected a number such as 512 or 20.4G, found '\(text.prefix(40))'")
        }
        return value
    }

    /// The same with an optional minus sign (the writeback controller's terms).
    static func signed(_ text: Substring, file: String, line: Int = 1) throws(ParseError) -> Int64 {
        let negative = text.hasPrefix("-")
        let value = try unsigned(negative ? text.dropFirst() : text, file: file, line: line)
        guard value <= UInt64(Int64.max) else {
            throw ParseError(file: file, line: line, "value \(text.prefix(40)) is out of range")
        }
        return negative ? -Int64(value) : Int64(value)
    }

    private static let units: [Character: Double] = [
        "k": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40, "P": 0x1p50, "E": 0x1p60, "Z": 0x1p70, "Y": 0x1p80,
    ]

    private static func magnitude(_ text: Substring) -> UInt64? {
        guard let last = text.last else { return nil }
        let value: Double
        if let unit = units[last] {
            let number = text.dropLast()
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = digits(parts[0]) else { return nil }
            var fraction = 0.0
            if parts.count == 2 {
                guard let tenths = digits(parts[1]) else { return nil }
                fraction = tenths / 10.24
            }
            value = (whole + fraction) * unit
        } else {
            guard let plain = digits(text) else { return nil }
            value = plain
        }
        guard value < 0x1p64 else { return nil }
        return UInt64(value)
    }

    private static func digits(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Double(text)
    }

    /// `writeback_rate_debug` of a backing device, the values node_exporter reads from it.
    struct WritebackRate: Equatable {
        var rate: UInt64 = 0
        var dirty: UInt64 = 0
        var target: UInt64 = 0
        var proportional: Int64 = 0
        var integral: Int64 = 0
        var change: Int64 = 0
    }

    /// One `key: value` line each (bcache's `bch_cached_dev_writeback_rate_debug`):
    ///
    ///     rate:           1.1M/sec
    ///     dirty:          20.4G
    ///     target:         20.4G
    ///     proportional:   427.5k
    ///     integral:       790.0k
    ///     change:         321.5k/sec
    ///     next io:        17ms
    ///
    /// Lines it does not know are left alone (kernels add some).
    static func writebackRate(_ text: String, file: String) throws(ParseError) -> WritebackRate {
        var result = WritebackRate()
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let fields = line[line.index(after: colon)...].splitASCIIWhitespace()
            let known = ["rate", "dirty", "target", "proportional", "integral", "change"]
            guard known.contains(String(key)) else { continue }
            guard fields.count == 1 else {
                throw ParseError(file: file, line: index + 1, "expected one value after '\(key):', found \(fields.count)")
            }
            var value = fields[0]
            if value.hasSuffix("/sec") { value = value.dropLast(4) }
            switch key {
            case "rate": result.rate = try unsigned(value, file: file, line: index + 1)
            case "dirty": result.dirty = try unsigned(value, file: file, line: index + 1)
            case "target": result.target = try unsigned(value, file: file, line: index + 1)
            case "proportional": result.proportional = try signed(value, file: file, line: index + 1)
            case "integral": result.integral = try signed(value, file: file, line: index + 1)
            default: result.change = try signed(value, file: file, line: index + 1)
            }
        }
        return result
    }
}
