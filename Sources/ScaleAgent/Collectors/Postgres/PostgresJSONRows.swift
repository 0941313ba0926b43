/// A reader for exactly what `json_agg` makes of text columns: an array of flat objects whose
/// values are strings or null (numbers and booleans are kept as their text). Every object has
/// the same keys in the same order: the query's columns.
enum PostgresJSONRows {
    struct Problem: Error, Equatable, CustomStringConvertible {
        var offset: Int
        var expected: String

        var description: String { "unreadable section result at byte \(offset): expected \(expected)" }
    }

    static func parse(_ text: String) throws(Problem) -> PostgresTable {
        var text = text
        let result = text.withUTF8 { bytes -> Result<PostgresTable, Problem> in
            var reader = Reader(bytes: bytes)
            do throws(Problem) {
                return .success(try reader.table())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        mutating func table() throws(Problem) -> PostgresTable {
            var columns: [String] = []
            var rows: [[String?]] = []
            try expect(UInt8(ascii: "["))
            if try peek() == UInt8(ascii: "]") {
                offset += 1
                return PostgresTable(columns: [], rows: [])
            }
            repeat {
                try expect(UInt8(ascii: "{"))
                var values: [String?] = []
                values.reserveCapacity(columns.count)
                var index = 0
                if try peek() == UInt8(ascii: "}") {
                    offset += 1
                } else {
                    repeat {
                        _ = try peek()
                        let keyOffset = offset
                        let key = try string()
                        if rows.isEmpty {
                            columns.append(key)
                        } else if index >= columns.count || columns[index] != key {
                            throw Problem(offset: keyOffset, expected: "the column \(index < columns.count ? columns[index] : "end")")
                        }
                        try expect(UInt8(ascii: ":"))
                        values.append(try value())
                        index += 1
                    } while try separator(UInt8(ascii: "}"))
                }
                guard values.count == columns.count else { throw Problem(offset: offset, expected: "\(columns.count) columns") }
                rows.append(values)
            } while try separator(UInt8(ascii: "]"))
            return PostgresTable(columns: columns, rows: rows)
        }

        /// After an element: true for `,` (another follows), false for `close`.
        mutating func separator(_ close: UInt8) throws(Problem) -> Bool {
            let byte = try peek()
            offset += 1
            if byte == UInt8(ascii: ",") { return true }
            if byte == close { return false }
            throw Problem(offset: offset - 1, expected: "',' or '\(Character(UnicodeScalar(close)))'")
        }

        mutating func value() throws(Problem) -> String? {
            if try peek() == UInt8(ascii: "\"") { return try string() }
            let start = offset
            while offset < bytes.count, !Self.endsScalar(bytes[offset]) { offset += 1 }
            guard offset > start else { throw Problem(offset: offset, expected: "a value") }
            let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
            return token == "null" ? nil : token
        }

        static func endsScalar(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: " ")
                || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
        }

        mutating func string() throws(Problem) -> String {
            try expect(UInt8(ascii: "\""))
            let start = offset
            // The common case, no escapes: one copy of the bytes.
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") { offset += 1 }
            guard offset < bytes.count else { throw Problem(offset: offset, expected: "the end of a string") }
            var result = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
            while bytes[offset] == UInt8(ascii: "\\") {
                offset += 1
                guard offset < bytes.count else { throw Problem(offset: offset, expected: "an escape") }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.unicodeScalars.append(UnicodeScalar(escape))
                case UInt8(ascii: "b"): result.append("\u{08}")
                case UInt8(ascii: "f"): result.append("\u{0C}")
                case UInt8(ascii: "n"): result.append("\n")
                case UInt8(ascii: "r"): result.append("\r")
                case UInt8(ascii: "t"): result.append("\t")
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                        bytes[offset + 1] == UInt8(ascii: "u")
                    {
                        offset += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    result.unicodeScalars.append(UnicodeScalar(scalar) ?? "\u{FFFD}")
                default:
                    throw Problem(offset: offset - 1, expected: "a JSON escape")
                }
                let run = offset
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") { offset += 1 }
                guard offset < bytes.count else { throw Problem(offset: offset, expected: "the end of a string") }
                result += String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<offset]), as: UTF8.self)
            }
            offset += 1
            return result
        }

        mutating func hex4() throws(Problem) -> UInt32 {
            guard offset + 4 <= bytes.count else { throw Problem(offset: offset, expected: "four hex digits") }
            var value: UInt32 = 0
            for byte in bytes[offset..<offset + 4] {
                guard let digit = Character(UnicodeScalar(byte)).hexDigitValue else {
                    throw Problem(offset: offset, expected: "four hex digits")
                }
                value = value << 4 | UInt32(digit)
            }
            offset += 4
            return value
        }

        mutating func expect(_ byte: UInt8) throws(Problem) {
            guard try peek() == byte else { throw Problem(offset: offset, expected: "'\(Character(UnicodeScalar(byte)))'") }
            offset += 1
        }

        /// The next byte that is not white space, not consumed.
        mutating func peek() throws(Problem) -> UInt8 {
            while offset < bytes.count,
                bytes[offset] == UInt8(ascii: " ") || bytes[offset] == UInt8(ascii: "\n") || bytes[offset] == UInt8(ascii: "\t")
                    || bytes[offset] == UInt8(ascii: "\r")
            {
                offset += 1
            }
            guard offset < bytes.count else { throw Problem(offset: offset, expected: "more input") }
            return bytes[offset]
        }
    }
}
