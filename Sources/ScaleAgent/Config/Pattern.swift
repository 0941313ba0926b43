import MetricStore
import NIOConcurrencyHelpers

/// A compiled regular expression from the config, matched as node_exporter matches its
/// `--collector.*.exclude` flags (Go's `regexp`, here RE2): unanchored, so write `^…$` to match
/// a whole name, and `.` does not match a newline.
/// Results are cached per input because collectors test the same few device and mount names
/// on every collection.
public final class Pattern: @unchecked Sendable, CustomStringConvertible, Equatable {
    public let source: String
    private let regex: RE2Regex
    private let cache = LockedCache()

    public init(_ source: String) throws(RegexSyntaxError) {
        self.source = source
        self.regex = try RE2Regex(source)
    }

    public func matches(_ text: String) -> Bool {
        if let known = cache.value(for: text) { return known }
        let result = regex.containsMatch(text)
        cache.store(result, for: text)
        return result
    }

    public var description: String { source }

    public static func == (lhs: Pattern, rhs: Pattern) -> Bool { lhs.source == rhs.source }
}

private final class LockedCache: Sendable {
    // Bounded so that an unbounded stream of names (containers' veth devices) cannot grow it.
    private static let limit = 4096
    private let storage = NIOLockedValueBox<[String: Bool]>([:])

    func value(for key: String) -> Bool? { storage.withLockedValue { $0[key] } }

    func store(_ value: Bool, for key: String) {
        storage.withLockedValue { map in
            if map.count >= Self.limit { map.removeAll(keepingCapacity: true) }
            map[key] = value
        }
    }
}
