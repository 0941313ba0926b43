/// A `=~` matcher's pattern, decided the cheapest way that gives RE2's answer: a literal or
/// an alternation of literals (`a|b|c`, Grafana's multi-value variables) is a set lookup, and
/// `.*`, `.+`, `lit.*`, `.*lit` and `.*lit.*` compare bytes. Only other patterns reach RE2,
/// anchored at both ends with `.` matching newlines, as Prometheus' `^(?s:…)$`.
///
/// Comparisons are on UTF-8 bytes, as in Go: a precomposed `é` does not match a decomposed
/// one, although Swift's `==` calls them equal.
struct LabelRegex: Sendable {
    private enum Strategy {
        case literals(Set<UTF8Key>)
        case anything
        case nonEmpty
        case prefix([UInt8])
        case suffix([UInt8])
        case contains([UInt8])
        case regex(RE2Regex)
    }

    private let strategy: Strategy

    init(_ pattern: String) throws(RegexSyntaxError) {
        strategy = try Self.strategy(for: pattern)
    }

    func matches(_ text: String) -> Bool {
        switch strategy {
        case let .literals(literals): return literals.contains(UTF8Key(text))
        case .anything: return true
        case .nonEmpty: return !text.isEmpty
        case let .prefix(prefix): return RE2Regex.withBytes(text) { $0.starts(with: prefix) }
        case let .suffix(suffix): return RE2Regex.withBytes(text) { $0.count >= suffix.count && $0[($0.count - suffix.count)...].elementsEqual(suffix) }
        case let .contains(infix): return RE2Regex.withBytes(text) { Self.bytes($0, contain: infix) }
        case let .regex(regex): return regex.wholeMatch(text)
        }
    }

    /// Go's `regexp.QuoteMeta` escapes exactly these; a pattern without them matches itself.
    private static let metacharacters = Set(#"\.+*?()|[]{}^$"#.utf8)

    private static func isLiteral<Bytes: Sequence<UInt8>>(_ text: Bytes) -> Bool {
        !text.contains(where: metacharacters.contains)
    }

    private static func strategy(for pattern: String) throws(RegexSyntaxError) -> Strategy {
        let alternatives = pattern.split(separator: "|", omittingEmptySubsequences: false)
        if alternatives.allSatisfy({ isLiteral($0.utf8) }) {
            return .literals(Set(alternatives.map { UTF8Key(String($0)) }))
        }
        let bytes = Array(pattern.utf8)
        let any = Array(".*".utf8)
        switch bytes {
        case any: return .anything
        case Array(".+".utf8): return .nonEmpty
        default: break
        }
        let leadingAny = bytes.starts(with: any)
        let trailingAny = bytes.count >= 2 && bytes.suffix(2).elementsEqual(any)
        let core = bytes.dropFirst(leadingAny ? 2 : 0).dropLast(trailingAny ? 2 : 0)
        if (leadingAny || trailingAny) && bytes.count >= 3 && isLiteral(core) {
            switch (leadingAny, trailingAny) {
            case (true, true): return .contains(Array(core))
            case (false, true): return .prefix(Array(core))
            default: return .suffix(Array(core))
            }
        }
        return .regex(try RE2Regex(pattern, options: .dotMatchesNewline))
    }

    private static func bytes(_ text: UnsafeBufferPointer<UInt8>, contain infix: [UInt8]) -> Bool {
        guard infix.count <= text.count else { return false }
        guard let first = infix.first else { return true }
        var start = 0
        while start + infix.count <= text.count {
            if text[start] == first && text[start..<(start + infix.count)].elementsEqual(infix) { return true }
            start += 1
        }
        return false
    }
}

/// A string hashed and compared by its UTF-8 bytes rather than by canonical equivalence.
private struct UTF8Key: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool {
        lhs.text.utf8.count == rhs.text.utf8.count && lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        RE2Regex.withBytes(text) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
