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
