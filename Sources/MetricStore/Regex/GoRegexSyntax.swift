/// Where Go's `regexp/syntax` and RE2 2022-06 disagree on syntax, Go wins, because Prometheus
/// is written in Go: `(?<name>…)` (Go 1.22) is spelled `(?P<name>…)` for RE2, and `\C`
/// (one byte, which could split a code point) is refused as Go refuses it. Everything else
/// is passed through unchanged for RE2 to judge.
enum GoRegexSyntax {
    static func translate(_ pattern: String) throws(RegexSyntaxError) -> String {
        guard pattern.utf8.contains(UInt8(ascii: "\\")) || pattern.contains("(?<") else { return pattern }
        let scalars = Array(pattern.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\":
                guard index + 1 < scalars.count else {
                    result.append(scalar)
                    index += 1
                    continue
                }
                let escaped = scalars[index + 1]
                if escaped == "C" { throw RegexSyntaxError(code: .invalidEscape, argument: "\\C") }
                if escaped == "Q" {
                    // A quoted literal runs to `\E` or the end; nothing in it is syntax.
                    let end = (index + 2..<scalars.count).first { scalars[$0] == "\\" && $0 + 1 < scalars.count && scalars[$0 + 1] == "E" }
                    let stop = end.map { $0 + 2 } ?? scalars.count
                    result.append(contentsOf: scalars[index..<stop])
                    index = stop
                    continue
                }
                result.append(scalar)
                result.append(escaped)
                index += 2
            case "[":
                let end = classEnd(scalars, from: index)
                result.append(contentsOf: scalars[index..<end])
                index = end
            case "(" where index + 3 < scalars.count && scalars[index + 1] == "?" && scalars[index + 2] == "<"
                && scalars[index + 3] != "=" && scalars[index + 3] != "!":
                result.append(contentsOf: "(?P<".unicodeScalars)
                index += 3
            default:
                result.append(scalar)
                index += 1
            }
        }
        return String(result)
    }

    /// The index just past the character class that opens at `start`, or the end of the
    /// pattern when it is not closed (RE2 reports that). A `]` right after `[` or `[^` is a
    /// literal, `[:name:]` is a POSIX class, and escapes are skipped.
    private static func classEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        if index < scalars.count && scalars[index] == "^" { index += 1 }
        if index < scalars.count && scalars[index] == "]" { index += 1 }
        while index < scalars.count {
            switch scalars[index] {
            case "]":
                return index + 1
            case "\\":
                index += 2
            case "[" where index + 1 < scalars.count && scalars[index + 1] == ":":
                let close = (index + 2..<scalars.count).first { scalars[$0] == ":" && $0 + 1 < scalars.count && scalars[$0 + 1] == "]" }
                index = close.map { $0 + 2 } ?? index + 1
            default:
                index += 1
            }
        }
        return scalars.count
    }
}
