/// A label set kept sorted by name with unique names, so that equal sets compare, hash and
/// print identically: the identity of a series.
public struct Labels: Hashable, Sendable, Comparable {
    public private(set) var pairs: [Label]

    public static let empty = Labels(sortedUnique: [])

    /// Sorts the pairs; for a repeated name the last value wins and empty values are dropped,
    /// because Prometheus treats a label with an empty value as absent.
    public init(_ pairs: [Label]) {
        var byName: [String: String] = [:]
        for pair in pairs { byName[pair.name] = pair.value }
        self.pairs = byName.filter { !$0.value.isEmpty }.map { Label($0.key, $0.value) }.sorted()
    }

    public init(_ pairs: KeyValuePairs<String, String>) {
        self.init(pairs.map { Label($0.key, $0.value) })
    }

    /// Only for pairs already sorted by name with unique names and no empty value.
    public init(sortedUnique pairs: [Label]) {
        self.pairs = pairs
    }

    public var isEmpty: Bool { pairs.isEmpty }
    public var count: Int { pairs.count }

    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The series' metric name, the value of `__name__`.
    public var metricName: String? { self[Label.metricName] }

    public func adding(_ name: String, _ value: String) -> Labels {
        Labels(pairs + [Label(name, value)])
    }

    public func removing(_ name: String) -> Labels {
        Labels(sortedUnique: pairs.filter { $0.name != name })
    }

    /// Lexicographic by pairs, the order Prometheus sorts series in.
    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        for (l, r) in zip(lhs.pairs, rhs.pairs) where l != r {
            return l < r
        }
        return lhs.pairs.count < rhs.pairs.count
    }
}
