/// One job that reports its runs to `/api/v1/checkins/<name>` (`checkins.jobs` in agent.yml).
public struct CheckInJob: Sendable, Equatable {
    public var name: String
    public var schedule: CheckInSchedule
    /// How long after an expected run the job may still report success before it counts as missed.
    public var grace: Int64

    public init(name: String, schedule: CheckInSchedule, grace: Int64 = CheckInJob.defaultGrace) {
        self.name = name
        self.schedule = schedule
        self.grace = grace
    }

    public static let defaultGrace: Int64 = 300

    /// The latest time by which the next success is due: the first expected run after the
    /// last success (or, before any, after the job was first configured), plus the grace.
    func deadline(lastSuccess: Double?, since: Double) -> Double? {
        schedule.nextRun(after: lastSuccess ?? since).map { $0 + Double(grace) }
    }

    /// `[a-zA-Z0-9_.-]+`: safe in a URL path segment, a label value and a file name alike.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128
            && name.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-")
            }
    }
}
