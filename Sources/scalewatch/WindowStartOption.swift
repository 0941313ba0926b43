import ArgumentParser
import ScaleAgent

/// `--query.window-start excluded|included`: whether a range window and the lookback include
/// a sample exactly at their start (Prometheus 2 did; Prometheus 3 does not).
struct WindowStartOption: ParsableArguments {
    @Option(
        name: .customLong("query.window-start"),
        help: "excluded (Prometheus 3, default) or included (Prometheus 2): whether a sample exactly at a range window's start counts.")
    var windowStart: String?

    func validate() throws {
        if let windowStart, QuerySettings.windowStart(parsing: windowStart) == nil {
            throw ValidationError("--query.window-start: expected excluded or included, got '\(windowStart)'")
        }
    }

    /// nil where not given.
    var value: QueryWindowStart? { windowStart.flatMap(QuerySettings.windowStart(parsing:)) }
}
