#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `=~` matcher's pattern, decided the cheapest way that gives RE2's answer: a literal or
/// an alternation of literals (`a|b|c`, Grafana's multi-value variables) is a set lookup, and
/// `.*`, `.+`, `lit.*`, `.*lit` and `.*lit.*` compare bytes. Only other patterns reach RE2,
/// anchored at both ends with `.` matching newlines, as Prometheus' `^(?s:…)$`.
///
/// Comparisons are on UTF-8 bytes, as in Go: a precomposed `é` does not match a decomposed
/// one, although Swift's `==` calls them equal.
struct LabelRegex: Sendable {
    private enum Strategy {
        /// Few literals are compared one by one, length first: cheaper than hashing the value.
        case fewLiterals([[UInt8]])
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
        case let .fewLiterals(literals):
            return RE2Regex.withBytes(text) { bytes in
                literals.contains { $0.count == bytes.count && Self.bytes(bytes, at: 0, equal: $0) }
            }
        case let .literals(literals): return literals.contains(UTF8Key(text))
        case .anything: return true
        case .nonEmpty: return !text.isEmpty
        case let .prefix(prefix):
            return RE2Regex.withBytes(text) { $0.count >= prefix.count && Self.bytes($0, at: 0, equal: prefix) }
        case let .suffix(suffix):
            return RE2Regex.withBytes(text) { $0.count >= suffix.count && Self.bytes($0, at: $0.count - suffix.count, equal: suffix) }
        case let .contains(infix):
            return RE2Regex.withBytes(text) { Self.bytes($0, contain: infix) }
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
            return alternatives.count <= 16
                ? .fewLiterals(alternatives.map { Array($0.utf8) }) : .literals(Set(alternatives.map { UTF8Key(String($0)) }))
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

    /// Whether `text` holds `bytes` at `offset`; the caller checks that they fit.
    private static func bytes(_ text: UnsafeBufferPointer<UInt8>, at offset: Int, equal bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        return bytes.withUnsafeBufferPointer { memcmp(text.baseAddress! + offset, $0.baseAddress!, bytes.count) == 0 }
    }

    private static func bytes(_ text: UnsafeBufferPointer<UInt8>, contain infix: [UInt8]) -> Bool {
        guard infix.count <= text.count else { return false }
        guard let first = infix.first else { return true }
        for start in 0...(text.count - infix.count) where text[start] == first {
            if bytes(text, at: start, equal: infix) { return true }
        }
        return false
    }
}

/// A string hashed and compared by its UTF-8 bytes rather than by canonical equivalence.
private struct UTF8Key: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool {
        RE2Regex.withBytes(lhs.text) { left in
            RE2Regex.withBytes(rhs.text) { right in
                left.count == right.count && (left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        RE2Regex.withBytes(text) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
