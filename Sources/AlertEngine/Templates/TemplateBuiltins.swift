/// Go's `len`, `index`, `html` and the text its escaping builtins work on, for the values a
/// template can hold. Messages are Go's.
enum TemplateBuiltins {
    typealias Failure = TemplateFunction.Failure

    /// Bytes of a string (Go's `len`), entries of a map.
    static func length(_ value: TemplateValue) throws(Failure) -> TemplateValue {
        switch value {
        case .string(let text): return .int(text.utf8.count)
        case .stringMap(let map): return .int(map.count)
        case .queryResult(let samples): return .int(samples.count)
        case .noValue: throw Failure(message: "len of untyped nil")
        default: throw Failure(message: "len of type \(value.goTypeName)")
        }
    }

    /// `index x a b` is `x[a][b]`: a missing map key gives the empty string, a string index
    /// gives the byte.
    static func index(_ item: TemplateValue, by indexes: [TemplateValue]) throws(Failure) -> TemplateValue {
        if case .noValue = item { throw Failure(message: "index of untyped nil") }
        var item = item
        for index in indexes {
            switch item {
            case .string(let text):
                guard case .int(let position) = index else {
                    if case .noValue = index { throw Failure(message: "cannot index slice/array with nil") }
                    throw Failure(message: "cannot index slice/array with type \(index.goTypeName)")
                }
                let bytes = Array(text.utf8)
                guard position >= 0 && position < bytes.count else { throw Failure(message: "index out of range: \(position)") }
                item = .int(Int(bytes[position]))
            case .stringMap(let map):
                guard case .string(let key) = index else {
                    if case .noValue = index { throw Failure(message: "value is nil; should be of type string") }
                    throw Failure(message: "value has type \(index.goTypeName); should be string")
                }
                item = .string(map[key] ?? "")
            case .queryResult(let samples):
                guard case .int(let position) = index else {
                    if case .noValue = index { throw Failure(message: "cannot index slice/array with nil") }
                    throw Failure(message: "cannot index slice/array with type \(index.goTypeName)")
                }
                guard position >= 0 && position < samples.count else { throw Failure(message: "index out of range: \(position)") }
                item = .sample(samples[position])
            default:
                throw Failure(message: "can't index item of type \(item.goTypeName)")
            }
        }
        return item
    }

    /// Go's `evalArgs`: one string as it is, anything else as `fmt.Sprint` prints it.
    static func argumentText(_ arguments: [TemplateValue]) -> String {
        if arguments.count == 1, case .string(let text) = arguments[0] { return text }
        return GoFormat.sprint(arguments)
    }

    /// Go's `HTMLEscapeString`.
    static func htmlEscape(_ text: String) -> String {
        var escaped = ""
        for character in text.unicodeScalars {
            switch character {
            case "\0": escaped += "\u{FFFD}"
            case "\"": escaped += "&#34;"
            case "'": escaped += "&#39;"
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
