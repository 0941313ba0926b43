/// A pattern Go's `regexp/syntax` (and so Prometheus) refuses, worded as Go words it:
/// `error parsing regexp: missing closing ): `(``.
public struct RegexSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Go's `syntax.ErrorCode` messages; RE2's codes map onto them one to one.
    public enum Code: String, Sendable {
        case `internal` = "regexp/syntax: internal error"
        case invalidCharClass = "invalid character class"
        case invalidCharRange = "invalid character class range"
        case invalidEscape = "invalid escape sequence"
        case invalidNamedCapture = "invalid named capture"
        case invalidPerlOp = "invalid or unsupported Perl syntax"
        case invalidRepeatOp = "invalid nested repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        case invalidUTF8 = "invalid UTF-8"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case missingRepeatArgument = "missing argument to repetition operator"
        case trailingBackslash = "trailing backslash at end of expression"
        case unexpectedParen = "unexpected )"
        case expressionTooLarge = "expression too large"
    }

    public let code: Code
    /// The offending part of the pattern.
    public let argument: String

    public init(code: Code, argument: String) {
        self.code = code
        self.argument = argument
    }

    /// From RE2's `RE2::ErrorCode` and error argument.
    init(re2Code: Int32, argument: String, pattern: String) {
        switch re2Code {
        case 2: self.init(code: .invalidEscape, argument: argument)
        case 3: self.init(code: .invalidCharClass, argument: argument)
        case 4: self.init(code: .invalidCharRange, argument: argument)
        case 5: self.init(code: .missingBracket, argument: argument)
        case 6: self.init(code: .missingParen, argument: argument)
        case 7: self.init(code: .unexpectedParen, argument: argument)
        case 8: self.init(code: .trailingBackslash, argument: argument)
        case 9: self.init(code: .missingRepeatArgument, argument: argument)
        case 10: self.init(code: .invalidRepeatSize, argument: argument)
        case 11: self.init(code: .invalidRepeatOp, argument: argument)
        case 12: self.init(code: .invalidPerlOp, argument: argument)
        case 13: self.init(code: .invalidUTF8, argument: argument)
        case 14: self.init(code: .invalidNamedCapture, argument: argument)
        // RE2's argument here is its own message; Go names the pattern.
        case 15: self.init(code: .expressionTooLarge, argument: pattern)
        default: self.init(code: .internal, argument: argument)
        }
    }

    /// What is wrong and where, without the `error parsing regexp: ` in front.
    public var detail: String { "\(code.rawValue): `\(argument)`" }

    public var description: String { "error parsing regexp: \(detail)" }
}
