import MetricStore

/// One sample of a family: its labels (without `__name__`) and value.
public struct MetricSample: Sendable, Hashable {
    public var labels: Labels
    public var value: Double

    public init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// A named group of samples of one type, as a collector reports it and as `/metrics`
/// renders it. `name` is the sample name: for counters it normally ends in `_total`.
public struct MetricFamily: Sendable, Hashable {
    public let name: String
    public let help: String
    public let type: MetricType
    public var samples: [MetricSample]

    public init(name: String, help: String, type: MetricType, samples: [MetricSample] = []) {
        self.name = name
        self.help = help
        self.type = type
        self.samples = samples
    }
}
