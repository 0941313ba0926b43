import MetricStore

/// An input series of a rule test: its labels and one value per interval from the start.
public struct InputSeries: Sendable, Hashable {
    public var labels: Labels
    /// nil: no sample at that step; `StaleMarker.value`: a staleness marker.
    public var values: [Double?]
    /// The strings as written, for messages that quote them.
    public var series: LocatedText
    public var valuesText: LocatedText

    public init(labels: Labels, values: [Double?], series: LocatedText, valuesText: LocatedText) {
        self.labels = labels
        self.values = values
        self.series = series
        self.valuesText = valuesText
    }

    /// The samples, the i-th value at `start + i * interval` milliseconds.
    public func samples(start: Int64 = 0, interval: Int64) -> [Sample] {
        values.enumerated().compactMap { index, value in
            value.map { Sample(timestamp: start + Int64(index) * interval, value: $0) }
        }
    }
}
