import MetricStore

/// Collects the samples a collector reports, grouped into families in first-seen order.
/// A family's help and type are those of its first sample; a later sample of the same name
/// with another type is a programming error in the collector and traps.
public struct MetricsBuilder: Sendable {
    private var families: [MetricFamily] = []
    private var indexByName: [String: Int] = [:]
    /// The family the last sample went to.
    private var lastIndex = 0

    public init() {}

    /// A builder with room for `families` families: the agent's, which merges every
    /// collector's, would otherwise grow its array and index by doubling, rehashing each time.
    public init(reservingFamilies families: Int) {
        self.families.reserveCapacity(families)
        self.indexByName.reserveCapacity(families)
    }

    public mutating func gauge(
        _ name: String, _ help: String, _ value: Double, _ labels: KeyValuePairs<String, String> = [:]
    ) {
        add(name, help, .gauge, value, labels)
    }

    public mutating func counter(
        _ name: String, _ help: String, _ value: Double, _ labels: KeyValuePairs<String, String> = [:]
    ) {
        add(name, help, .counter, value, labels)
    }

    /// A counter declared untyped in the text format, as node_exporter exposes it (see
    /// `MetricFamily.untypedInText`).
    public mutating func untypedInTextCounter(
        _ name: String, _ help: String, _ value: Double, _ labels: KeyValuePairs<String, String> = [:]
    ) {
        add(name, help, .counter, value, labels)
        families[lastIndex].untypedInText = true
    }

    public mutating func untyped(
        _ name: String, _ help: String, _ value: Double, _ labels: KeyValuePairs<String, String> = [:]
    ) {
        add(name, help, .untyped, value, labels)
    }

    public mutating func add(
        _ name: String, _ help: String, _ type: MetricType, _ value: Double,
        _ labels: KeyValuePairs<String, String> = [:]
    ) {
        add(name, help, type, value, labels: Labels(labels))
    }

    /// One sample of the histogram family `name`: `suffix` is `_bucket` (with an `le` label),
    /// `_sum` or `_count`.
    public mutating func histogramSample(_ name: String, _ help: String, suffix: String, _ value: Double, labels: Labels) {
        add(name, help, .histogram, MetricSample(labels: labels, value: value, suffix: suffix))
    }

    public mutating func add(_ name: String, _ help: String, _ type: MetricType, _ value: Double, labels: Labels) {
        add(name, help, type, MetricSample(labels: labels, value: value))
    }

    private mutating func add(_ name: String, _ help: String, _ type: MetricType, _ sample: MetricSample) {
        // Collectors mostly add a family's samples one after another: the last family is
        // compared first (equal literals compare without reading their bytes), before hashing.
        let count = families.count
        let index = lastIndex < count && families[lastIndex].name == name ? lastIndex : Self.read(&indexByName[name, default: count])
        lastIndex = index
        guard index < count else {
            families.append(MetricFamily(name: name, help: help, type: type, samples: [sample]))
            return
        }
        precondition(families[index].type == type, "BUG: \(name) reported as \(type) and \(families[index].type)")
        families[index].samples.append(sample)
    }

    /// Whole families at once: a family new to the builder is taken as is, without
    /// re-adding its samples one by one.
    public mutating func append(contentsOf other: [MetricFamily]) {
        for family in other {
            let added = append(family)
            precondition(added, "BUG: \(family.name) reported with two types")
        }
    }

    /// Like `append(contentsOf:)`, but a family already present under another type is left
    /// out and its name returned: collectors such as textfile report names they do not choose.
    public mutating func appendChecked(contentsOf other: [MetricFamily]) -> [String] {
        var conflicts: [String] = []
        for family in other where !append(family) {
            conflicts.append(family.name)
        }
        return conflicts
    }

    /// One family, with one lookup of its name; false (and nothing added) when the name is
    /// already present with another type.
    private mutating func append(_ family: MetricFamily) -> Bool {
        let count = families.count
        // The defaulted subscript, accessed in place, inserts the next index when the name is new.
        let index = Self.read(&indexByName[family.name, default: count])
        guard index < count else {
            families.append(family)
            return true
        }
        guard families[index].type == family.type else { return false }
        families[index].samples.append(contentsOf: family.samples)
        return true
    }

    public func build() -> [MetricFamily] { families }

    private static func read(_ slot: inout Int) -> Int { slot }
}
