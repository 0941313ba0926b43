import MetricStore

/// One sample of a family: its labels (without `__name__`) and value. `suffix` is what its
/// name adds to the family's: empty but for a histogram's `_bucket`, `_sum` and `_count`.
public struct MetricSample: Sendable, Hashable {
    public var labels: Labels
    public var value: Double
    public var suffix: String

    public init(labels: Labels, value: Double, suffix: String = "") {
        self.labels = labels
        self.value = value
        self.suffix = suffix
    }

    /// The series' `__name__`.
    public func name(in family: MetricFamily) -> String {
        suffix.isEmpty ? family.name : family.name + suffix
    }
}

/// A named group of samples of one type, as a collector reports it and as `/metrics`
/// renders it. `name` is the sample name: for counters it normally ends in `_total`.
public struct MetricFamily: Sendable, Hashable {
    public let name: String
    public let help: String
    public let type: MetricType
    public var samples: [MetricSample]
    /// A counter that node_exporter exposes untyped under a name without `_total`: the text
    /// format declares it untyped too, as node_exporter's users and `promtool check metrics`
    /// expect, while `type` (and so `/api/v1/metadata`) keeps what it is.
    public var untypedInText: Bool

    public init(name: String, help: String, type: MetricType, samples: [MetricSample] = [], untypedInText: Bool = false) {
        self.name = name
        self.help = help
        self.type = type
        self.samples = samples
        self.untypedInText = untypedInText
    }
}
