/// `fmt.Sprintf`: Go's `doPrintf`, directive by directive — flags, `[n]` argument indexes,
/// `*` widths and precisions, and the in-band error notes Go writes for bad formats.
extension GoFormat {
    static func sprintf(_ format: String, _ arguments: [TemplateValue]) -> String {
        let source = Array(format.unicodeScalars)
        var text = String.UnicodeScalarView()
        var argumentIndex = 0
        var reordered = false
        var position = 0

        /// `[n]` before a width, precision or verb: 1-based in the format, 0-based here.
        func argumentNumber(_ current: Int, _ position: inout Int, _ isGood: inout Bool) -> (Int, Bool) {
            guard position < source.count, source[position] == "[" else { return (current, false) }
            reordered = true
            guard let close = source[position...].firstIndex(of: "]"), source.count - position >= 3 else {
                position += 1
                isGood = false
                return (current, false)
            }
            let digits = source[(position + 1)..<close]
            position = close + 1
            guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }),
                let number = Int(String(String.UnicodeScalarView(digits)))
            else {
                isGood = false
                return (current, false)
            }
            guard number >= 1 && number <= arguments.count else {
                isGood = false
                return (current, true)
            }
            return (number - 1, true)
        }

        func number(_ position: inout Int) -> Int? {
            var value: Int?
            while position < source.count, ("0"..."9").contains(source[position]) {
                let digit = Int(source[position].value - 48)
                guard (value ?? 0) < 1_000_000 else { return nil }
                value = (value ?? 0) * 10 + digit
                position += 1
            }
            return value
        }

        /// A `*` width or precision: the next argument, which must be an int.
        func intArgument(_ index: inout Int) -> Int? {
            guard index < arguments.count else { return nil }
            defer { index += 1 }
            if case .int(let value) = arguments[index], abs(value) <= 1_000_000 { return value }
            return nil
        }

        while position < source.count {
            if source[position] != "%" {
                text.append(source[position])
                position += 1
                continue
            }
            position += 1
            var directive = Directive()
            flags: while position < source.count {
                switch source[position] {
                case "#": directive.sharp = true
                case "0": directive.zero = !directive.minus
                case "+": directive.plus = true
                case "-":
                    directive.minus = true
                    directive.zero = false
                case " ": directive.space = true
                default: break flags
                }
                position += 1
            }
            var isGood = true
            var afterIndex: Bool
            (argumentIndex, afterIndex) = argumentNumber(argumentIndex, &position, &isGood)

            if position < source.count && source[position] == "*" {
                position += 1
                if let width = intArgument(&argumentIndex) {
                    directive.width = abs(width)
                    if width < 0 {
                        directive.minus = true
                        directive.zero = false
                    }
                } else {
                    text.append(contentsOf: "%!(BADWIDTH)".unicodeScalars)
                }
                afterIndex = false
            } else {
                directive.width = number(&position)
                if afterIndex && directive.width != nil { isGood = false }
            }

            if position < source.count && source[position] == "." {
                position += 1
                if afterIndex { isGood = false }
                (argumentIndex, afterIndex) = argumentNumber(argumentIndex, &position, &isGood)
                if position < source.count && source[position] == "*" {
                    position += 1
                    if let precision = intArgument(&argumentIndex), precision >= 0 {
                        directive.precision = precision
                    } else {
                        text.append(contentsOf: "%!(BADPREC)".unicodeScalars)
                    }
                    afterIndex = false
                } else {
                    directive.precision = number(&position) ?? 0
                }
            }
            if !afterIndex { (argumentIndex, afterIndex) = argumentNumber(argumentIndex, &position, &isGood) }

            guard position < source.count else {
                text.append(contentsOf: "%!(NOVERB)".unicodeScalars)
                break
            }
            let verb = source[position]
            position += 1
            if verb == "%" {
                text.append("%")
            } else if !isGood {
                text.append(contentsOf: "%!\(verb)(BADINDEX)".unicodeScalars)
            } else if argumentIndex >= arguments.count {
                text.append(contentsOf: "%!\(verb)(MISSING)".unicodeScalars)
            } else {
                if verb == "v" {
                    directive.sharpV = directive.sharp
                    directive.sharp = false
                    directive.plusV = directive.plus
                    directive.plus = false
                }
                text.append(contentsOf: self.format(arguments[argumentIndex], verb: verb, directive).unicodeScalars)
                argumentIndex += 1
            }
        }

        if !reordered && argumentIndex < arguments.count {
            let extra = arguments[argumentIndex...].map { argument -> String in
                if case .noValue = argument { return "<nil>" }
                return argument.goTypeName + "=" + self.format(argument, verb: "v", Directive())
            }
            text.append(contentsOf: ("%!(EXTRA " + extra.joined(separator: ", ") + ")").unicodeScalars)
        }
        return String(text)
    }
}
