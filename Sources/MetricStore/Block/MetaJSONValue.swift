/// A parsed JSON value, just rich enough for `meta.json`: numbers are integers only, because
/// every number in the format is a count, a level or a millisecond timestamp, and a float
/// would lose precision above 2^53.
enum MetaJSONValue: Equatable {
    case object([(key: String, value: MetaJSONValue)])
    case array([MetaJSONValue])
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null

    static func == (lhs: MetaJSONValue, rhs: MetaJSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let l), .object(let r)):
            l.count == r.count && zip(l, r).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let l), .array(let r)): l == r
        case (.string(let l), .string(let r)): l == r
        case (.integer(let l), .integer(let r)): l == r
        case (.bool(let l), .bool(let r)): l == r
        case (.null, .null): true
        default: false
        }
    }

    /// The value of the first member named `key` of an object.
    subscript(key: String) -> MetaJSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
