/// A test group's `start_timestamp`, in milliseconds since the epoch: Unix seconds
/// (`1609459200`, `1609459200.5`) or an RFC 3339 time (`2021-01-01T00:00:00Z`,
/// `2021-01-01T02:00:00.250+02:00`), the two forms promtool accepts. The number is a YAML
/// one (`0x10`, `.inf` are YAML's), unlike the API's, so only the RFC 3339 half and the range
/// are `PrometheusTimestamp`'s.
enum StartTimestamp {
    static func parse(_ text: String) -> Int64? {
        if let seconds = YAMLNumber.parse(text) {
            let milliseconds = (seconds * 1000).rounded(.towardZero)
            // Compared as Doubles first: converting an out-of-range Double to Int64 traps.
            guard milliseconds.isFinite, milliseconds >= Double(PrometheusTimestamp.minMilliseconds),
                milliseconds <= Double(PrometheusTimestamp.maxMilliseconds)
            else { return nil }
            return Int64(milliseconds)
        }
        return RFC3339Time.milliseconds(text)
    }
}
