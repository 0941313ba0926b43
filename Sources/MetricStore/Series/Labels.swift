/// A label set kept sorted by name with unique names, so that equal sets compare, hash and
/// print identically: the identity of a series.
public struct Labels: Hashable, Sendable, Comparable {
    public private(set) var pairs: [Label]

    public static let empty = Labels(sortedUnique: [])

    /// Sorts the pairs; for a repeated name the last value wins and empty values are dropped,
    /// because Prometheus treats a label with an empty value as absent.
    public init(_ pairs: [Label]) {
        // Hot path (every collected sample): callers mostly pass names already in order, so
        // check before sorting, and resolve repeats without a dictionary.
        var sorted = pairs
        if !Self.isStrictlyOrderedByName(sorted) {
            let indexed = sorted.enumerated().sorted { lhs, rhs in
                lhs.element.name != rhs.element.name ? lhs.element.name < rhs.element.name : lhs.offset < rhs.offset
            }
            sorted = []
            sorted.reserveCapacity(indexed.count)
            for (_, pair) in indexed {
                if let last = sorted.last, last.name == pair.name {
                    sorted[sorted.count - 1] = pair
                } else {
                    sorted.append(pair)
                }
            }
        }
        if sorted.contains(where: { $0.value.isEmpty }) { sorted.removeAll { $0.value.isEmpty } }
        self.pairs = sorted
    }

    private static func isStrictlyOrderedByName(_ pairs: [Label]) -> Bool {
        var index = 1
        while index < pairs.count {
            if !(pairs[index - 1].name < pairs[index].name) { return false }
            index += 1
        }
        return true
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
