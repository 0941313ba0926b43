/// One stored point: milliseconds since the Unix epoch and a float64 value.
///
/// Equality compares the value's bit pattern, not its numeric value: the store must give back
/// exactly what it was given, and NaN payloads matter (Prometheus' stale marker is one).
public struct Sample: Sendable, Hashable, CustomStringConvertible {
    public var timestamp: Int64
    public var value: Double

    public init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    public static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
    }

    public var description: String { "\(value)@\(timestamp)" }
}

/// Prometheus' staleness marker: a NaN with this exact payload, written when a series
/// disappears so that queries stop returning it before the lookback window ends.
public enum StaleMarker {
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002
    public static let value = Double(bitPattern: bitPattern)

    public static func isStale(_ value: Double) -> Bool { value.bitPattern == bitPattern }
}

extension Array where Element == Sample {
    /// In time order with one sample per timestamp (the first one wins), and how many were
    /// dropped as repeats. Free when the samples are already strictly increasing, the usual
    /// case; sorting only happens where sources overlap.
    public func inTimeOrderWithoutRepeats() -> (samples: [Sample], dropped: Int) {
        if zip(self, dropFirst()).allSatisfy({ $0.timestamp < $1.timestamp }) { return (self, 0) }
        let ordered = enumerated().sorted { lhs, rhs in
            lhs.element.timestamp != rhs.element.timestamp ? lhs.element.timestamp < rhs.element.timestamp : lhs.offset < rhs.offset
        }
        var unique: [Sample] = []
        unique.reserveCapacity(count)
        for (_, sample) in ordered where unique.last?.timestamp != sample.timestamp { unique.append(sample) }
        return (unique, count - unique.count)
    }
}
