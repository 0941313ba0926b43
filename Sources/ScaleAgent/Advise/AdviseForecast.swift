/// Where a trend leads: `metric` reaches `threshold` in `etaSeconds` at the window's rate.
public struct AdviseForecast: Sendable, Equatable {
    public var metric: String
    public var threshold: Double
    /// nil when the trend does not lead there.
    public var etaSeconds: Double?
    /// "connections reach max_connections (100) in about 9 days at this rate".
    public var text: String
}
