/// Points in time as Prometheus' HTTP API (`time=`, `start=`, `end=`) and promtool take them:
/// Unix seconds with an optional fraction (`1764380033`, `1764380033.25`, `-1.5`, `1e9`) or
/// RFC 3339 (`2026-11-29T01:33:53Z`, `2026-11-29T02:33:53.250+01:00`), in milliseconds since
/// the epoch.
///
/// Accepted times lie between Prometheus' `MinTime` and `MaxTime` (years −292 million to
/// +292 million, a little inside Int64 milliseconds), the range Prometheus itself uses for
/// "no bound". Inside it, adding or subtracting any duration `PrometheusDuration` accepts stays
/// within Int64, so evaluation arithmetic on a parsed time and a parsed duration cannot trap.
public enum PrometheusTimestamp {
    /// Prometheus' `MinTime`: `math.MinInt64/1000 + 62135596801` seconds.
    public static let minMilliseconds: Int64 = (Int64.min / 1000 + 62_135_596_801) * 1000
    /// Prometheus' `MaxTime`: `math.MaxInt64/1000 - 62135596801` seconds and 999999999 ns.
    public static let maxMilliseconds: Int64 = (Int64.max / 1000 - 62_135_596_801) * 1000 + 999

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Neither a number nor RFC 3339.
        case invalid(String)
        /// NaN or an infinity.
        case notFinite(String)
        /// A number of seconds outside `minMilliseconds...maxMilliseconds`.
        case outOfRange(String)

        public var description: String {
            switch self {
            case .invalid(let text):
                return "expected Unix seconds (such as 1764380033.5) or an RFC 3339 time (such as 2026-11-29T01:33:53Z), got '\(text)'"
            case .notFinite(let text):
                return "expected a finite number of Unix seconds or an RFC 3339 time, got '\(text)'"
            case .outOfRange(let text):
                return "time '\(text)' is out of range: Unix seconds must lie between \(minMilliseconds / 1000) and \(maxMilliseconds / 1000)"
            }
        }
    }

    public static func milliseconds(parsing text: String) throws(ParseError) -> Int64 {
        if let seconds = Double(text) {
            guard seconds.isFinite else { throw .notFinite(text) }
            guard let milliseconds = milliseconds(seconds: seconds) else { throw .outOfRange(text) }
            return milliseconds
        }
        // Four-digit years keep every RFC 3339 time well inside the range.
        if let milliseconds = RFC3339Time.milliseconds(text) { return milliseconds }
        // Prometheus' Go clients send MinTime and MaxTime formatted when a query has no bound;
        // their years do not fit RFC 3339, so Prometheus accepts these two spellings as such.
        switch text {
        case minTimeFormatted: return minMilliseconds
        case maxTimeFormatted: return maxMilliseconds
        default: throw .invalid(text)
        }
    }

    /// `MinTime.Format(time.RFC3339Nano)` and the same of `MaxTime`, as Prometheus has them.
    static let minTimeFormatted = "-292273086-05-16T16:47:06Z"
    static let maxTimeFormatted = "292277025-08-18T07:12:54.999999999Z"

    /// Unix seconds rounded to the millisecond, as Prometheus' API does (whole seconds and the
    /// rounded fraction separately, so a large time keeps its exact whole part); nil for NaN,
    /// infinities and times outside the range.
    public static func milliseconds(seconds: Double) -> Int64? {
        let whole = seconds.rounded(.towardZero)
        // Checked as Doubles first: converting an out-of-range Double to Int64 traps.
        guard whole.isFinite, whole >= Double(minMilliseconds / 1000), whole <= Double(maxMilliseconds / 1000) else {
            return nil
        }
        let fraction = Int64(((seconds - whole) * 1000).rounded())
        let (scaled, overflowA) = Int64(whole).multipliedReportingOverflow(by: 1000)
        let (sum, overflowB) = scaled.addingReportingOverflow(fraction)
        guard !overflowA, !overflowB, (minMilliseconds...maxMilliseconds).contains(sum) else { return nil }
        return sum
    }
}
