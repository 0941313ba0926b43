import CRE2

/// A regular expression in Go's syntax (the one Prometheus, its templates and node_exporter
/// use), run by RE2: linear in the input, so no pattern can hang a caller, and no
/// back-references or look-around. Matching works on the UTF-8 bytes of a `String`, per code
/// point, never per grapheme cluster. This is the one regex implementation of scalewatch.
///
/// RE2 only reads a compiled regex when matching and is documented as safe to use from many
/// threads at once; the handle is freed with the last reference.
public final class RE2Regex: @unchecked Sendable, CustomStringConvertible {
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// `.` matches `\n` too, as Prometheus' `(?s:…)` wrapping of matchers does.
        public static let dotMatchesNewline = Options(rawValue: Int32(CRE2_DOT_NL))
    }

    public let pattern: String
    /// Capturing groups, not counting the whole match (group 0).
    public let groupCount: Int
    /// The name of each group by number (`nil` for group 0 and unnamed groups). As in Go, a
    /// name may be used by more than one group.
    public let groupNames: [String?]
    private let handle: OpaquePointer

    public init(_ pattern: String, options: Options = []) throws(RegexSyntaxError) {
        self.pattern = pattern
        let translated = try GoRegexSyntax.translate(pattern)
        var source = translated
        guard let handle = source.withUTF8({ cre2_new($0.baseAddress, $0.count, options.rawValue) }) else {
            throw RegexSyntaxError(code: .internal, argument: pattern)
        }
        let code = cre2_error_code(handle)
        guard code == 0 else {
            var length = 0
            let argument = cre2_error_argument(handle, &length)
            let text = String(decoding: UnsafeRawBufferPointer(start: argument, count: length), as: UTF8.self)
            cre2_delete(handle)
            throw RegexSyntaxError(re2Code: code, argument: text, pattern: pattern)
        }
        self.handle = handle
        groupCount = Int(cre2_group_count(handle))
        groupNames = (0...groupCount).map { number in
            number == 0 ? nil : cre2_group_name(handle, Int32(number)).map { String(cString: $0) }
        }
    }

    deinit { cre2_delete(handle) }

    public var description: String { pattern }

    /// Whether the whole of `text` matches, as if the pattern were `^(?:pattern)$`.
    public func wholeMatch(_ text: String) -> Bool {
        Self.withBytes(text) { matches(in: $0, from: 0, anchor: CRE2_ANCHOR_BOTH) }
    }

    /// Whether the pattern matches anywhere in `text`, as Go's `MatchString`.
    public func containsMatch(_ text: String) -> Bool {
        Self.withBytes(text) { matches(in: $0, from: 0, anchor: CRE2_UNANCHORED) }
    }

    /// The text of each group (index 0 is the whole match) when all of `text` matches; a group
    /// that took no part in the match is `nil`.
    public func wholeMatchGroups(_ text: String) -> [Substring?]? {
        let ranges = Self.withBytes(text) { firstMatch(in: $0, from: 0, anchor: .both) }
        guard let ranges else { return nil }
        let utf8 = text.utf8
        return ranges.map { range in
            range.map { text[utf8.index(utf8.startIndex, offsetBy: $0.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: $0.upperBound)] }
        }
    }

    public enum Anchor: Sendable {
        case none, start, both
    }

    /// The byte ranges of the whole match and of each group for the leftmost match that starts
    /// at or after `start`; `bytes` before `start` still count as context for `^` and `\b`.
    public func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, anchor: Anchor = .none) -> [Range<Int>?]? {
        let pairs = groupCount + 1
        let mode: cre2_anchor
        switch anchor {
        case .none: mode = CRE2_UNANCHORED
        case .start: mode = CRE2_ANCHOR_START
        case .both: mode = CRE2_ANCHOR_BOTH
        }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * pairs) { offsets -> [Range<Int>?]? in
            guard cre2_match(handle, bytes.baseAddress, bytes.count, start, mode, offsets.baseAddress, Int32(pairs)) else {
                return nil
            }
            return (0..<pairs).map { group in
                let lower = offsets[2 * group]
                return lower < 0 ? nil : lower..<offsets[2 * group + 1]
            }
        }
    }

    private func matches(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, anchor: cre2_anchor) -> Bool {
        cre2_match(handle, bytes.baseAddress, bytes.count, start, anchor, nil, 0)
    }

    /// The UTF-8 bytes of `text`, without a copy when it is stored contiguously (native
    /// strings are).
    public static func withBytes<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }
}
