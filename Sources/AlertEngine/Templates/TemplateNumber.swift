/// A number constant kept, like Go's `parse.NumberNode`, under every type that can hold it;
/// where it is used decides which one it becomes.
struct TemplateNumber: Sendable {
    enum Failure: Error, Equatable {
        case illegalSyntax
        case integerOverflow
        case complexUnsupported
        case malformedCharacter
    }

    let text: String
    private(set) var signed: Int64?
    private(set) var unsigned: UInt64?
    private(set) var float: Double?
    private var isCharacter = false

    init(number text: String) throws(Failure) {
        self.text = text
        if text.last == "i" { throw .complexUnsupported }
        if case .success(let value) = GoNumberSyntax.parseUnsigned(text) { unsigned = value }
        if case .success(let value) = GoNumberSyntax.parseSigned(text) {
            signed = value
            // "-0" fails as unsigned but is a perfectly good zero.
            if value == 0 { unsigned = 0 }
        }
        if let signed {
            float = Double(signed)
        } else if let unsigned {
            float = Double(unsigned)
        } else if case .success(let value) = GoNumberSyntax.parseFloat(text) {
            guard text.contains(where: { ".eEpP".contains($0) }) else { throw .integerOverflow }
            float = value
            if value.rounded(.towardZero) == value {
                signed = Int64(exactly: value)
                unsigned = UInt64(exactly: value)
            }
        }
        if signed == nil && unsigned == nil && float == nil { throw .illegalSyntax }
    }

    init(character text: String) throws(Failure) {
        self.text = text
        guard let value = try? GoStringLiteral.unquoteCharacter(text) else { throw .malformedCharacter }
        signed = Int64(value)
        unsigned = UInt64(value)
        float = Double(value)
        isCharacter = true
    }

    /// The value the constant takes where no type is asked for (Go's `idealConstant`): a float
    /// if it is written like one, else an int; `nil` if it only fits an unsigned integer.
    var idealValue: TemplateValue? {
        let isHexInteger = text.count > 2 && text.hasPrefix("0") && "xX".contains(text[text.index(after: text.startIndex)])
            && !text.contains(where: { "pP".contains($0) })
        if !isCharacter, !isHexInteger, let float, text.contains(where: { ".eEpP".contains($0) }) {
            return .float(float)
        }
        if let signed { return .int(Int(signed)) }
        return nil
    }
}
