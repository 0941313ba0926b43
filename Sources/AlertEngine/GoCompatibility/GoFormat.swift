/// Go's `fmt` for template values: `Sprintf` (the `printf` function), `Sprint` and `Sprintln`
/// (`print`, `println`), and `%v`, which is also how an action prints its value. Mistakes in a
/// format are written into the output, as Go does (`%!d(string=x)`, `%!s(MISSING)`,
/// `%!(EXTRA float64=1)`), never raised.
enum GoFormat {
    /// One directive's flags, width and precision.
    struct Directive {
        var plus = false
        var minus = false
        var sharp = false
        var space = false
        var zero = false
        var width: Int?
        var precision: Int?
        /// `%+v`: field names in structs.
        var plusV = false
        /// `%#v`: Go syntax, here only quoting strings.
        var sharpV = false
    }

    /// How an action prints a value (Go's `printValue`).
    static func printed(_ value: TemplateValue) -> String {
        if case .noValue = value { return "<no value>" }
        return format(value, verb: "v", Directive())
    }

    /// `fmt.Sprint`: operands in `%v`, with a space between two operands when neither is a string.
    static func sprint(_ arguments: [TemplateValue]) -> String {
        var text = ""
        var previousIsString = false
        for (index, argument) in arguments.enumerated() {
            let isString: Bool
            if case .string = argument { isString = true } else { isString = false }
            if index > 0 && !isString && !previousIsString { text += " " }
            text += format(argument, verb: "v", Directive())
            previousIsString = isString
        }
        return text
    }

    /// `fmt.Sprintln`: operands in `%v`, always separated by spaces, then a newline.
    static func sprintln(_ arguments: [TemplateValue]) -> String {
        arguments.map { format($0, verb: "v", Directive()) }.joined(separator: " ") + "\n"
    }

    // MARK: One value, one verb

    static func format(_ value: TemplateValue, verb: Unicode.Scalar, _ directive: Directive) -> String {
        if verb == "T" { return pad(value.goTypeName, directive) }
        switch value {
        case .noValue:
            return verb == "v" ? pad("<nil>", directive) : "%!\(verb)(<nil>)"
        case .bool(let bool):
            return verb == "v" || verb == "t" ? pad(bool ? "true" : "false", directive) : badVerb(verb, value, directive)
        case .int(let int):
            return formatInteger(int, verb: verb, directive) ?? badVerb(verb, value, directive)
        case .float(let float):
            return formatFloat(float, verb: verb, directive) ?? badVerb(verb, value, directive)
        case .string(let string):
            return formatString(string, verb: verb, directive) ?? badVerb(verb, value, directive)
        case .stringMap(let map):
            let entries = TemplateValue.sortedKeys(map).map { key in
                format(.string(key), verb: verb, directive) + ":" + format(.string(map[key] ?? ""), verb: verb, directive)
            }
            return "map[" + entries.joined(separator: " ") + "]"
        case .alertData(let data):
            let fields: [(String, TemplateValue)] = [
                ("Labels", .stringMap(data.labels)), ("ExternalLabels", .stringMap(data.externalLabels)),
                ("ExternalURL", .string(data.externalURL)), ("Value", .float(data.value)),
            ]
            let parts = fields.map { name, field in
                (directive.plusV ? name + ":" : "") + format(field, verb: verb, directive)
            }
            return "{" + parts.joined(separator: " ") + "}"
        case .sample(let sample):
            return "&" + structText(sample, verb: verb, directive)
        case .queryResult(let samples):
            // Go prints the elements' addresses; their contents say more and are stable.
            return "[" + samples.map { "&" + structText($0, verb: verb, directive) }.joined(separator: " ") + "]"
        }
    }

    private static func structText(_ sample: TemplateSample, verb: Unicode.Scalar, _ directive: Directive) -> String {
        let labels = format(.stringMap(sample.labels), verb: verb, directive)
        let value = format(.float(sample.value), verb: verb, directive)
        return directive.plusV ? "{Labels:\(labels) Value:\(value)}" : "{\(labels) \(value)}"
    }

    /// `%!d(string=hello)`: the value printed with `%v` and the same flags, as Go does.
    private static func badVerb(_ verb: Unicode.Scalar, _ value: TemplateValue, _ directive: Directive) -> String {
        "%!\(verb)(\(value.goTypeName)=\(format(value, verb: "v", directive)))"
    }

    private static func formatInteger(_ value: Int, verb: Unicode.Scalar, _ directive: Directive) -> String? {
        switch verb {
        case "v", "d": return integer(value, base: 10, uppercase: false, verb: verb, directive)
        case "b": return integer(value, base: 2, uppercase: false, verb: verb, directive)
        case "o", "O": return integer(value, base: 8, uppercase: false, verb: verb, directive)
        case "x": return integer(value, base: 16, uppercase: false, verb: verb, directive)
        case "X": return integer(value, base: 16, uppercase: true, verb: verb, directive)
        case "c":
            let scalar = UInt32(exactly: value).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
            return pad(String(scalar), directive)
        case "q":
            return pad(GoQuote.quoteRune(value, asciiOnly: directive.plus), directive)
        case "U":
            var text = String(UInt64(bitPattern: Int64(value)), radix: 16, uppercase: true)
            text = String(repeating: "0", count: max(0, max(4, directive.precision ?? 0) - text.count)) + text
            text = "U+" + text
            if directive.sharp, let scalar = UInt32(exactly: value).flatMap(Unicode.Scalar.init), GoQuote.isPrintable(scalar) {
                text += " '\(scalar)'"
            }
            var unpadded = directive
            unpadded.zero = false
            return pad(text, unpadded)
        default:
            return nil
        }
    }

    /// Go's `fmtInteger`: precision is a minimum digit count, and `0` padding becomes one.
    private static func integer(_ value: Int, base: Int, uppercase: Bool, verb: Unicode.Scalar, _ directive: Directive) -> String {
        let negative = value < 0
        var minimumDigits = 0
        if let precision = directive.precision {
            minimumDigits = precision
            if precision == 0 && value == 0 {
                var spaces = directive
                spaces.zero = false
                return pad("", spaces)
            }
        } else if directive.zero && !directive.minus, let width = directive.width {
            minimumDigits = width - (negative || directive.plus || directive.space ? 1 : 0)
        }
        var digits = String(value.magnitude, radix: base, uppercase: uppercase)
        if digits.count < minimumDigits { digits = String(repeating: "0", count: minimumDigits - digits.count) + digits }
        if directive.sharp {
            switch base {
            case 2: digits = "0b" + digits
            case 8: if !digits.hasPrefix("0") { digits = "0" + digits }
            case 16: digits = (uppercase ? "0X" : "0x") + digits
            default: break
            }
        }
        if verb == "O" { digits = "0o" + digits }
        if negative {
            digits = "-" + digits
        } else if directive.plus {
            digits = "+" + digits
        } else if directive.space {
            digits = " " + digits
        }
        var spaces = directive
        spaces.zero = false
        return pad(digits, spaces)
    }

    private static func formatFloat(_ value: Double, verb: Unicode.Scalar, _ directive: Directive) -> String? {
        switch verb {
        case "v": return float(value, verb: "g", defaultPrecision: -1, directive)
        case "g", "G", "x", "X": return float(value, verb: Character(verb), defaultPrecision: -1, directive)
        case "e", "E", "f": return float(value, verb: Character(verb), defaultPrecision: 6, directive)
        case "F": return float(value, verb: "f", defaultPrecision: 6, directive)
        default: return nil
        }
    }

    /// Go's `fmt.fmtFloat`: sign handling, `#`, and zero padding that leaves Inf and NaN alone.
    private static func float(_ value: Double, verb: Character, defaultPrecision: Int, _ directive: Directive) -> String {
        let precision = directive.precision ?? defaultPrecision
        var number = GoFloatFormat.format(value, verb: verb, precision: precision)
        var sign: Character = "+"
        if let first = number.first, first == "-" || first == "+" {
            sign = first
            number.removeFirst()
        }
        if directive.space && sign == "+" && !directive.plus { sign = " " }
        if number == "Inf" || number == "NaN" {
            var spaces = directive
            spaces.zero = false
            let omitSign = number == "NaN" && !directive.space && !directive.plus
            return pad(omitSign ? number : String(sign) + number, spaces)
        }
        if directive.sharp {
            var digits = verb == "g" || verb == "G" ? (precision == -1 ? 6 : precision) : 0
            var tail = ""
            if let exponent = number.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                tail = String(number[exponent...])
                number = String(number[..<exponent])
            }
            digits -= number.filter { $0 != "." }.count
            if !number.contains(".") { number += "." }
            if digits > 0 { number += String(repeating: "0", count: digits) }
            number += tail
        }
        if directive.plus || sign != "+" {
            if directive.zero && !directive.minus, let width = directive.width, width > number.count + 1 {
                return String(sign) + String(repeating: "0", count: width - number.count - 1) + number
            }
            return pad(String(sign) + number, directive)
        }
        return pad(number, directive)
    }

    private static func formatString(_ value: String, verb: Unicode.Scalar, _ directive: Directive) -> String? {
        var text = value
        if let precision = directive.precision, verb != "x", verb != "X" {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: value.unicodeScalars.prefix(precision))
            text = String(view)
        }
        switch verb {
        case "v":
            return pad(directive.sharpV ? GoQuote.quote(text) : text, directive)
        case "s":
            return pad(text, directive)
        case "q":
            if directive.sharp && GoQuote.canBackquote(text) { return pad("`" + text + "`", directive) }
            return pad(GoQuote.quote(text, asciiOnly: directive.plus), directive)
        case "x", "X":
            return pad(hexBytes(value, uppercase: verb == "X", directive), directive)
        default:
            return nil
        }
    }

    /// `%x` of a string: two hex digits per byte; `#` adds 0x, a space separates bytes.
    private static func hexBytes(_ value: String, uppercase: Bool, _ directive: Directive) -> String {
        let bytes = Array(value.utf8.prefix(directive.precision ?? Int.max))
        let prefix = uppercase ? "0X" : "0x"
        var text = directive.sharp && !bytes.isEmpty ? prefix : ""
        for (index, byte) in bytes.enumerated() {
            if directive.space && index > 0 {
                text += " "
                if directive.sharp { text += prefix }
            }
            let hex = String(byte, radix: 16, uppercase: uppercase)
            text += (hex.count == 1 ? "0" : "") + hex
        }
        return text
    }

    /// Pads to the width in Unicode scalars: spaces on the right with `-`, else zeros (with `0`)
    /// or spaces on the left.
    static func pad(_ text: String, _ directive: Directive) -> String {
        guard let width = directive.width else { return text }
        let missing = width - text.unicodeScalars.count
        guard missing > 0 else { return text }
        if directive.minus { return text + String(repeating: " ", count: missing) }
        return String(repeating: directive.zero ? "0" : " ", count: missing) + text
    }
}
