/// An access-log line format: a pattern in nginx's `log_format` notation, compiled into
/// literals and fields, or a JSON object with named keys (nginx `log_format … escape=json`).
///
/// Pattern language: `$name` or `${name}` is a variable (letters, digits, `_`); everything else
/// is literal text that must appear as is. A field ends where the literal after it next occurs
/// (a list field — `$upstream_response_time`, `$upstream_addr` — not at a `, ` or ` : ` inside
/// its list); the last field of a pattern ends with the line. Two variables need a literal
/// between them, since nothing else would say where the first ends.
///
/// A format names its variables; what the collector does with each is `AccessLogField`.
struct AccessLogFormat: Equatable, Sendable {
    enum Element: Equatable, Sendable {
        case literal([UInt8])
        case variable(String)
    }

    enum Layout: Equatable, Sendable {
        case text([Element])
        /// JSON object keys by variable name.
        case json([String: String])
    }

    let layout: Layout

    /// The variables the format has, in order (JSON: sorted by name).
    var variables: [String] {
        switch layout {
        case .text(let elements):
            elements.compactMap { if case .variable(let name) = $0 { name } else { nil } }
        case .json(let keys):
            keys.keys.sorted()
        }
    }

    init(layout: Layout) { self.layout = layout }

    /// Compiles a pattern; errors name the character position and what was expected.
    static func compile(_ pattern: String) throws(AccessLogFormatError) -> AccessLogFormat {
        let bytes = Array(pattern.utf8)
        guard !bytes.isEmpty else { throw AccessLogFormatError(position: 0, "the format is empty") }
        var elements: [Element] = []
        var literal: [UInt8] = []
        var index = 0
        // Positions are counted in characters, as an editor shows them.
        func position(_ byteIndex: Int) -> Int {
            String(decoding: bytes[..<byteIndex], as: UTF8.self).count + 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "$") else {
                literal.append(byte)
                index += 1
                continue
            }
            let start = index
            index += 1
            let braced = index < bytes.count && bytes[index] == UInt8(ascii: "{")
            if braced { index += 1 }
            let nameStart = index
            while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
            guard index > nameStart else {
                throw AccessLogFormatError(
                    position: position(index),
                    braced ? "expected a variable name after '${'" : "expected a variable name after '$'")
            }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            if braced {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else {
                    throw AccessLogFormatError(position: position(index), "expected '}' to close '${\(name)'")
                }
                index += 1
            }
            if !literal.isEmpty {
                elements.append(.literal(literal))
                literal = []
            } else if case .variable(let previous) = elements.last {
                throw AccessLogFormatError(
                    position: position(start),
                    "expected literal text between $\(previous) and $\(name): nothing would say where $\(previous) ends")
            }
            elements.append(.variable(name))
        }
        if !literal.isEmpty { elements.append(.literal(literal)) }
        let format = AccessLogFormat(layout: .text(elements))
        try format.requireStatus()
        return format
    }

    /// A JSON format: `keys` maps variable names to the object keys that hold them; the
    /// variables the collector reads default to keys of their own name.
    static func json(keys overrides: [String: String] = [:]) -> AccessLogFormat {
        var keys: [String: String] = [:]
        for name in jsonDefaultVariables { keys[name] = name }
        keys.merge(overrides) { $1 }
        return AccessLogFormat(layout: .json(keys))
    }

    static let jsonDefaultVariables = [
        "status", "request", "request_method", "body_bytes_sent", "request_time", "upstream_response_time", "upstream_addr",
        "host", "server_name",
    ]

    private func requireStatus() throws(AccessLogFormatError) {
        guard variables.contains("status") else {
            throw AccessLogFormatError(position: 0, "expected a $status variable: every request is counted by its status")
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
