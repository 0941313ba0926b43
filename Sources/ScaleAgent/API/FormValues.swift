import MetricStore

/// The parameters of an API request, as Go's `Request.ParseForm` gathers them: those of a
/// form-encoded POST body first, then those of the query string, each name keeping all its
/// values in order (`match[]` is given many times). `value(_:)` is Go's `FormValue`: the first
/// value, so a body's wins over the query string's.
struct FormValues: Sendable, Equatable {
    private(set) var pairs: [(name: String, value: String)] = []

    init() {}

    /// Parses `body` (when given) and then `query`; malformed percent-encoding in either is
    /// refused as Go refuses it.
    init(query: String?, body: String?) throws(APIError) {
        if let body { try append(body) }
        if let query { try append(query) }
    }

    func value(_ name: String) -> String {
        pairs.first { $0.name == name }?.value ?? ""
    }

    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    func has(_ name: String) -> Bool {
        pairs.contains { $0.name == name }
    }

    static func == (lhs: FormValues, rhs: FormValues) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    /// `application/x-www-form-urlencoded`: `name=value` pairs joined by `&`, `+` for a space,
    /// `%XX` for any byte. Empty pieces (`a=1&&b=2`) are skipped, as Go skips them.
    private mutating func append(_ encoded: String) throws(APIError) {
        for piece in encoded.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let name = try Self.decode(piece[..<(equals ?? piece.endIndex)])
            let value = try equals.map { (index) throws(APIError) in try Self.decode(piece[piece.index(after: index)...]) } ?? ""
            pairs.append((name, value))
        }
    }

    static func decode(_ bytes: Substring.UTF8View.SubSequence) throws(APIError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = bytes.index(after: index)
                guard high < bytes.endIndex, bytes.index(after: high) < bytes.endIndex,
                    let h = hexValue(bytes[high]), let l = hexValue(bytes[bytes.index(after: high)])
                else {
                    let rest = String(decoding: bytes[index...].prefix(3), as: UTF8.self)
                    throw APIError(.badData, "error parsing form values: invalid URL escape \(JSONWriter.quoted(rest))")
                }
                out.append(h << 4 | l)
                index = bytes.index(after: high)
            default:
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
