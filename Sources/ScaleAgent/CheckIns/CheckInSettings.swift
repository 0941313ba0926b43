import Foundation
import MetricStore
import Yams

/// The `checkins:` section of agent.yml: the jobs that report their runs over HTTP.
///
///     checkins:
///       jobs:
///         - name: backup            # [a-zA-Z0-9_.-]+, unique
///           schedule: "30 2 * * *"  # a cron expression, or
///           # period: 1h            # a fixed period: exactly one of the two
///           grace: 15m              # default 5m
///           timezone: UTC           # cron schedules only; the host's local time by default
public struct CheckInSettings: Sendable, Equatable {
    public var jobs: [CheckInJob] = []

    public init(jobs: [CheckInJob] = []) {
        self.jobs = jobs
    }

    public subscript(name: String) -> CheckInJob? {
        jobs.first { $0.name == name }
    }

    static let jobKeys = ["name", "schedule", "period", "grace", "timezone"]

    /// A period shorter than cron's minute is a typo, a year longer than any job's cycle.
    static let periodRange: ClosedRange<Duration> = .seconds(10) ... .seconds(400 * 86_400)
    static let graceRange: ClosedRange<Duration> = .zero ... .seconds(400 * 86_400)

    static func parse(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> CheckInSettings {
        var settings = CheckInSettings()
        for (key, _, value) in try reader.mapping(node, in: "checkins", allowed: ["jobs"]) {
            precondition(key == "jobs", "BUG: key checkins.\(key) allowed but not handled")
            for (index, item) in try reader.list(value, "checkins.jobs", of: "jobs").enumerated() {
                let job = try parseJob(item, "checkins.jobs[\(index)]", reader)
                if settings[job.name] != nil {
                    throw reader.error(at: item, "checkins.jobs[\(index)]: a job named '\(job.name)' is listed twice")
                }
                settings.jobs.append(job)
            }
        }
        return settings
    }

    private static func parseJob(_ node: Node, _ section: String, _ reader: YAMLReader) throws(ConfigError) -> CheckInJob {
        var name: String?
        var cron: (expression: CronExpression, node: Node)?
        var period: (seconds: Int64, node: Node)?
        var grace = CheckInJob.defaultGrace
        var timeZone: (zone: TimeZone, node: Node)?
        for (key, _, value) in try reader.mapping(node, in: section, allowed: jobKeys) {
            let qualified = "\(section).\(key)"
            switch key {
            case "name":
                let text = try reader.string(value, qualified)
                guard CheckInJob.isValidName(text) else {
                    throw reader.error(at: value, "\(qualified) must be 1-128 of the characters a-z A-Z 0-9 _ . -, got '\(EchoedValue(text))'")
                }
                name = text
            case "schedule":
                let text = try reader.string(value, qualified)
                do {
                    cron = (try CronExpression.parse(text), value)
                } catch {
                    throw cronError(error, at: value, qualified, text, reader)
                }
            case "period":
                period = (try reader.duration(value, qualified, in: periodRange).components.seconds, value)
            case "grace":
                grace = try reader.duration(value, qualified, in: graceRange).components.seconds
            case "timezone":
                let text = try reader.string(value, qualified)
                guard let zone = TimeZone(identifier: text) else {
                    throw reader.error(at: value, "\(qualified) must be a time zone name such as UTC or Europe/Berlin, got '\(EchoedValue(text))'")
                }
                timeZone = (zone, value)
            default:
                preconditionFailure("BUG: key \(qualified) allowed but not handled")
            }
        }
        guard let name else { throw reader.error(at: node, "\(section) needs a name") }
        let schedule: CheckInSchedule
        switch (cron, period) {
        case (let cron?, nil):
            schedule = .cron(cron.expression, timeZone?.zone ?? TimeZone.current)
        case (nil, let period?):
            if let timeZone { throw reader.error(at: timeZone.node, "\(section).timezone applies to a schedule, not to a period") }
            schedule = .period(period.seconds)
        case (_?, let period?):
            throw reader.error(at: period.node, "\(section) (\(name)) has both a schedule and a period; expected exactly one")
        case (nil, nil):
            throw reader.error(at: node, "\(section) (\(name)) needs a schedule (a cron expression) or a period")
        }
        return CheckInJob(name: name, schedule: schedule, grace: grace)
    }

    /// The cron error at its column in the file, when the value sits on one line as written.
    private static func cronError(
        _ error: CronError, at node: Node, _ qualified: String, _ text: String, _ reader: YAMLReader
    ) -> ConfigError {
        let start = reader.error(at: node, "")
        var column = start.column
        if case .scalar(let scalar) = node, !text.contains("\n") {
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            column += error.column - 1 + (quoted ? 1 : 0)
        }
        return ConfigError(
            file: start.file, line: start.line, column: column,
            "\(qualified) is not a cron expression: \(error.description) in '\(EchoedValue(text))'")
    }
}
