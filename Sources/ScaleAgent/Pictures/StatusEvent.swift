import AlertEngine
import MetricStore

/// Something that happened on the host in the last hour, as the status page lists it: read
/// back from the series the agent already records (the journal's OOM kills, unit restarts and
/// failures, PostgreSQL's log errors, the agent's reloads, `ALERTS`), not from a log of its own.
struct StatusEvent: Sendable, Equatable {
    /// Unix milliseconds: the first evaluation step at which the change was seen.
    var time: Int64
    var text: String
    /// How many, for counters (two OOM kills within one step are one event with count 2).
    var count: Int

    /// Where events come from: a series and how a change in it reads as an event.
    struct Source: Sendable {
        enum Change: Sendable {
            /// A counter went up (or was reset and counted again).
            case increase
            /// A gauge took another value.
            case change
            /// A series began inside the window (an alert started firing).
            case appearance
        }

        var expr: String
        var change: Change
        /// The sentence for one series' event, from its labels.
        var describe: @Sendable (Labels) -> String
    }

    static let sources: [Source] = [
        Source(expr: "scalewatch_oom_kills_total", change: .increase) { labels in
            "OOM kill: \(labels["process"] ?? "a process") in \(labels["cgroup"] ?? "?") (by \(labels["killer"] ?? "the kernel"))"
        },
        Source(expr: "scalewatch_service_oom_kills_total", change: .increase) { labels in
            "OOM kill inside \(labels["unit"] ?? "a service")'s memory limit"
        },
        Source(expr: "scalewatch_unit_restarts_total", change: .increase) { labels in
            "\(labels["unit"] ?? "a unit") restarted by systemd"
        },
        Source(expr: "scalewatch_unit_failures_total", change: .increase) { labels in
            "\(labels["unit"] ?? "a unit") failed (\(labels["result"] ?? "?"))"
        },
        Source(expr: "scalewatch_postgres_log_errors_total", change: .increase) { labels in
            "PostgreSQL log: \(labels["kind"] ?? "error")"
        },
        Source(expr: "scalewatch_config_last_reload_success_timestamp_seconds", change: .change) { _ in
            "configuration reloaded"
        },
        Source(expr: "scalewatch_config_last_reload_successful == 0", change: .appearance) { _ in
            "configuration reload failed; the old configuration stays"
        },
        Source(expr: #"ALERTS{alertstate="firing"}"#, change: .appearance) { labels in
            "alert \(labels["alertname"] ?? "?") started firing"
        },
    ]

    /// The events in `series` (a range query's result from `start` at `step`), oldest first.
    static func detect(in series: [RangeSeries], start: Int64, step: Int64, source: Source) -> [StatusEvent] {
        var events: [StatusEvent] = []
        for one in series {
            guard let first = one.points.first else { continue }
            let appeared = first.timestamp > start
            switch source.change {
            case .appearance:
                // A gap of more than a step is a new appearance too (an alert that fired again).
                var previous: Int64?
                for point in one.points {
                    let continues = previous.map { point.timestamp - $0 <= step } ?? false
                    if !continues && (previous != nil || appeared) {
                        events.append(StatusEvent(time: point.timestamp, text: source.describe(one.labels), count: 1))
                    }
                    previous = point.timestamp
                }
            case .increase, .change:
                // A counter that is born inside the window counts its first value.
                if appeared && source.change == .increase && first.value > 0 && first.value.isFinite {
                    events.append(StatusEvent(time: first.timestamp, text: source.describe(one.labels), count: Int(min(first.value, 1e9))))
                }
                for (before, after) in zip(one.points, one.points.dropFirst()) where after.value != before.value {
                    guard after.value.isFinite, before.value.isFinite else { continue }
                    if source.change == .change {
                        events.append(StatusEvent(time: after.timestamp, text: source.describe(one.labels), count: 1))
                    } else {
                        let increase = after.value > before.value ? after.value - before.value : after.value
                        guard increase >= 1 else { continue }
                        events.append(
                            StatusEvent(time: after.timestamp, text: source.describe(one.labels), count: Int(min(increase.rounded(), 1e9))))
                    }
                }
            }
        }
        return events.sorted { ($0.time, $0.text) < ($1.time, $1.text) }
    }
}
