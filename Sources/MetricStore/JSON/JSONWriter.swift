/// Writes JSON (RFC 8259) without Foundation: the one writer of `meta.json` and of query
/// results in Prometheus' API shape. Members come out in the order they are written, so the
/// output is deterministic and can be pinned by golden tests.
///
/// Compact by default; with an indentation, each member and element on its own line, `"key": value`,
/// and empty containers as `{}` and `[]`. The caller nests begin/end calls correctly and
/// writes a key before each object member (a mistake there is a bug, and traps).
///
/// It writes bytes, not a String: a range query's answer is mostly numbers, and formatting them
/// straight into the buffer is most of what makes the API fast.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    private let indentation: Int
    /// Per open container: whether it holds anything yet, and whether it is an object.
    private var open: [(hasMembers: Bool, isObject: Bool)] = []
    private var keyWritten = false

    public init(indentation: Int = 0) {
        self.indentation = indentation
    }

    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        open.append((false, true))
    }

    public mutating func endObject() {
        end(UInt8(ascii: "}"), object: true)
    }

    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        open.append((false, false))
    }

    public mutating func endArray() {
        end(UInt8(ascii: "]"), object: false)
    }

    /// The next member's name; its value follows.
    public mutating func key(_ name: String) {
        precondition(open.last?.isObject == true && !keyWritten, "BUG: a JSON key outside an object or twice")
        separate()
        Self.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if indentation > 0 { bytes.append(UInt8(ascii: " ")) }
        keyWritten = true
    }

    public mutating func string(_ value: String) {
        beforeValue()
        Self.appendQuoted(value, to: &bytes)
    }

    public mutating func integer<Integer: BinaryInteger>(_ value: Integer) {
        beforeValue()
        if let small = Int64(exactly: value) {
            PrometheusFloat.appendInteger(small, to: &bytes)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    public mutating func bool(_ value: Bool) {
        beforeValue()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A finite number in Go's shortest form (`0.25`, `1e-05`); JSON has no NaN or infinity,
    /// so those are written as `null`.
    public mutating func number(_ value: Double) {
        beforeValue()
        if value.isFinite {
            PrometheusFloat.appendGeneral(value, to: &bytes)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    /// Unix seconds from milliseconds, with only the fraction digits needed (`1700000000.5`),
    /// as Prometheus' API writes timestamps.
    public mutating func unixSeconds(milliseconds: Int64) {
        beforeValue()
        Self.appendUnixSeconds(milliseconds: milliseconds, to: &bytes)
    }

    /// A sample value as Prometheus' API writes it: a string, so that NaN and ±Inf survive
    /// JSON (`"1.5"`, `"NaN"`, `"+Inf"`).
    public mutating func sampleValue(_ value: Double) {
        beforeValue()
        bytes.append(UInt8(ascii: "\""))
        PrometheusFloat.appendFixed(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public static func unixSeconds(milliseconds: Int64) -> String {
        var out: [UInt8] = []
        appendUnixSeconds(milliseconds: milliseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendUnixSeconds(milliseconds: Int64, to out: inout [UInt8]) {
        let whole = milliseconds / 1000, fraction = Int(milliseconds % 1000).magnitude
        if milliseconds < 0 && whole == 0 && fraction != 0 { out.append(UInt8(ascii: "-")) }
        PrometheusFloat.appendInteger(whole, to: &out)
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "."))
        // Three digits at most, trailing zeros dropped: written in place (a matrix has one
        // timestamp per point).
        out.append(UInt8(ascii: "0") &+ UInt8(fraction / 100))
        if fraction % 100 != 0 { out.append(UInt8(ascii: "0") &+ UInt8(fraction / 10 % 10)) }
        if fraction % 10 != 0 { out.append(UInt8(ascii: "0") &+ UInt8(fraction % 10)) }
    }

    /// `text` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\r`, `\t`,
    /// `\b`, `\f` or `\u00XX`; everything else (including non-ASCII) as it is.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        appendQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (label values) need no escape: appended whole. Bytes of multi-byte
        // characters are all >= 0x80, so escaping byte by byte keeps them intact.
        if !text.utf8.contains(where: needsEscape) {
            out.append(contentsOf: text.utf8)
        } else {
            for byte in text.utf8 {
                guard needsEscape(byte) else {
                    out.append(byte)
                    continue
                }
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
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
            precondition(bytes.isEmpty, "BUG: a second JSON value at the top level")
            return
        }
        if last.hasMembers { bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1].hasMembers = true
        newline(depth: open.count)
    }

    private mutating func end(_ bracket: UInt8, object: Bool) {
        guard let last = open.popLast(), last.isObject == object, !keyWritten else {
            preconditionFailure("BUG: JSON \(Character(Unicode.Scalar(bracket))) does not close what is open")
        }
        if last.hasMembers { newline(depth: open.count) }
        bytes.append(bracket)
    }

    private mutating func newline(depth: Int) {
        guard indentation > 0 else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * indentation))
    }
}
