/// A notable event an agent's log readers kept: `oom_kill`, `unit_failure`, `postgres_error`.
struct AdviseEvent: Sendable, Equatable {
    /// Unix milliseconds.
    var time: Int64
    var kind: String
    var summary: String
    var details: [String: String]
}
