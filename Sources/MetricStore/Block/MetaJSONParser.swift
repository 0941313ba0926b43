/// A strict JSON (RFC 8259) parser for `meta.json`, without Foundation. It never traps: every
/// read is bounds-checked and nesting is limited, and an error names the byte offset and what
/// was expected there.
struct MetaJSONParser {
    static let maxDepth = 16

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one value that must fill the input, whitespace aside.
    static func parse(_ bytes: [UInt8]) throws(BlockMetaError) -> MetaJSONValue {
        var parser = MetaJSONParser(bytes)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("end of input") }
        return value
    }

    private mutating func value(depth: Int) throws(BlockMetaError) -> MetaJSONValue {
        guard depth < Self.maxDepth else { throw error("at most \(Self.maxDepth) levels of nesting") }
        skipWhitespace()
        guard let next = peek() else { throw error("a JSON value") }
        switch next {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try integer())
        default: throw error("a JSON value")
        }
    }

    private mutating func object(depth: Int) throws(BlockMetaError) -> MetaJSONValue {
        position += 1  // {
        var members: [(key: String, value: MetaJSONValue)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("a member name in quotes") }
            let key = try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after the member name")
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            if peek() == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}' in an object")
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(BlockMetaError) -> MetaJSONValue {
        position += 1  // [
        var elements: [MetaJSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            if peek() == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            return .array(elements)
        }
    }

    private mutating func string() throws(BlockMetaError) -> String {
        position += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("a closing '\"'") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                // Invalid UTF-8 is replaced rather than rejected; IDs are ASCII and are
                // validated by the caller.
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case 0..<0x20:
                position -= 1
                throw error("no control character inside a string")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(BlockMetaError) {
        guard let byte = peek() else { throw error("an escape character") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard peek() == UInt8(ascii: "\\") else { throw error("a low surrogate escape") }
                position += 1
                guard peek() == UInt8(ascii: "u") else { throw error("a low surrogate escape") }
                position += 1
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("a low surrogate") }
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("a Unicode scalar value") }
            utf8.append(contentsOf: String(Character(unicode)).utf8)
        default:
            position -= 1
            throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u")
        }
    }

    private mutating func hex4() throws(BlockMetaError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw error("four hex digits") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("four hex digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// An integer in JSON's number syntax without fraction or exponent, within Int64.
    private mutating func integer() throws(BlockMetaError) -> Int64 {
        let start = position
        let negative = peek() == UInt8(ascii: "-")
        if negative { position += 1 }
        guard let first = peek(), first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw error("a digit")
        }
        if first == UInt8(ascii: "0"), let next = peek(at: position + 1),
           next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") {
            throw error("no leading zero")
        }
        // Accumulate negatively so that Int64.min parses too.
        var value: Int64 = 0
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.subtractingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else {
                position = start
                throw error("an integer within 64 bits")
            }
            value = next
            position += 1
        }
        if let byte = peek(), byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw error("an integer (no fraction or exponent)")
        }
        if negative { return value }
        guard value != Int64.min else {
            position = start
            throw error("an integer within 64 bits")
        }
        return -value
    }

    private mutating func literal(_ word: String) throws(BlockMetaError) {
        for byte in word.utf8 {
            guard peek() == byte else { throw error("'\(word)'") }
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(BlockMetaError) {
        guard peek() == byte else { throw error(what) }
        position += 1
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    private func peek() -> UInt8? { peek(at: position) }

    private func peek(at index: Int) -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private func error(_ expected: String) -> BlockMetaError {
        .malformed(offset: position, expected: expected)
    }
}
