/// Writes JSON (RFC 8259) without Foundation: the one writer of `meta.json` and of query
/// results in Prometheus' API shape. Members come out in the order they are written, so the
/// output is deterministic and can be pinned by golden tests.
///
/// Compact by default; with an indentation, each member and element on its own line, `"key": value`,
/// and empty containers as `{}` and `[]`. The caller nests begin/end calls correctly and
/// writes a key before each object member (a mistake there is a bug, and traps).
public struct JSONWriter {
    public private(set) var text = ""
    private let indentation: Int
    /// Per open container: whether it holds anything yet, and whether it is an object.
    private var open: [(hasMembers: Bool, isObject: Bool)] = []
    private var keyWritten = false

    public init(indentation: Int = 0) {
        self.indentation = indentation
    }

    public mutating func beginObject() {
        beforeValue()
        text += "{"
        open.append((false, true))
    }

    public mutating func endObject() {
        end("}", object: true)
    }

    public mutating func beginArray() {
        beforeValue()
        text += "["
        open.append((false, false))
    }

    public mutating func endArray() {
        end("]", object: false)
    }

    /// The next member's name; its value follows.
    public mutating func key(_ name: String) {
        precondition(open.last?.isObject == true && !keyWritten, "BUG: a JSON key outside an object or twice")
        separate()
        Self.appendQuoted(name, to: &text)
        text += indentation > 0 ? ": " : ":"
        keyWritten = true
    }

    public mutating func string(_ value: String) {
        beforeValue()
        Self.appendQuoted(value, to: &text)
    }

    public mutating func integer<Integer: BinaryInteger>(_ value: Integer) {
        beforeValue()
        text += String(value)
    }

    public mutating func bool(_ value: Bool) {
        beforeValue()
        text += value ? "true" : "false"
    }

    /// A finite number in Go's shortest form (`0.25`, `1e-05`); JSON has no NaN or infinity,
    /// so those are written as `null`.
    public mutating func number(_ value: Double) {
        beforeValue()
        text += value.isFinite ? PrometheusFloat.general(value) : "null"
    }

    /// Unix seconds from milliseconds, with only the fraction digits needed (`1700000000.5`),
    /// as Prometheus' API writes timestamps.
    public mutating func unixSeconds(milliseconds: Int64) {
        beforeValue()
        text += Self.unixSeconds(milliseconds: milliseconds)
    }

    /// A sample value as Prometheus' API writes it: a string, so that NaN and ±Inf survive
    /// JSON (`"1.5"`, `"NaN"`, `"+Inf"`).
    public mutating func sampleValue(_ value: Double) {
        string(PrometheusFloat.fixed(value))
    }

    public static func unixSeconds(milliseconds: Int64) -> String {
        let whole = milliseconds / 1000, fraction = abs(milliseconds % 1000)
        if fraction == 0 { return "\(whole)" }
        var digits = String(fraction)
        while digits.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return (milliseconds < 0 && whole == 0 ? "-" : "") + "\(whole).\(digits)"
    }

    /// `text` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\r`, `\t`,
    /// `\b`, `\f` or `\u00XX`; everything else (including non-ASCII) as it is.
    public static func quoted(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }

    private static func appendQuoted(_ text: String, to out: inout String) {
        // Most strings (label values, sample values, timestamps) need no escape: appended
        // whole, which is several times faster than scalar by scalar (the query API's
        // matrices are mostly such strings).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += "\""
            out += text
            out += "\""
            return
        }
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private mutating func beforeValue() {
        if keyWritten {
            keyWritten = false
        } else {
            precondition(open.last?.isObject != true, "BUG: a JSON object member without a key")
            separate()
        }
    }

    /// The comma and line break before a member or element.
    private mutating func separate() {
        guard let last = open.last else {
            precondition(text.isEmpty, "BUG: a second JSON value at the top level")
            return
        }
        if last.hasMembers { text += "," }
        open[open.count - 1].hasMembers = true
        newline(depth: open.count)
    }

    private mutating func end(_ bracket: String, object: Bool) {
        guard let last = open.popLast(), last.isObject == object, !keyWritten else {
            preconditionFailure("BUG: JSON \(bracket) does not close what is open")
        }
        if last.hasMembers { newline(depth: open.count) }
        text += bracket
    }

    private mutating func newline(depth: Int) {
        guard indentation > 0 else { return }
        text += "\n" + String(repeating: " ", count: depth * indentation)
    }
}
