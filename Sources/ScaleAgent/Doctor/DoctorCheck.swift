/// One line of `scalewatch doctor`: what was checked, against what, the verdict, the numbers
/// it rests on and, when it is not a pass, what to change.
public struct DoctorCheck: Sendable, Equatable {
    public enum Status: String, Sendable, Comparable, CaseIterable {
        case pass = "PASS"
        /// Not checked because something it needs is missing (no connection, a remote server).
        /// Never changes the exit status: the check that failed first already says why.
        case skip = "SKIP"
        case warn = "WARN"
        case fail = "FAIL"

        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    /// Short, stable identifier (`postgres.role`, `store.space`): what scripts match on.
    public var name: String
    /// What was checked: a PostgreSQL server (`127.0.0.1:5432`), a receiver's URL, a path.
    public var subject: String
    public var status: Status
    /// The evidence, with its numbers.
    public var evidence: String
    /// For WARN and FAIL: the exact setting, SQL or command that fixes it.
    public var remedy: String?

    public init(name: String, subject: String = "", status: Status, evidence: String, remedy: String? = nil) {
        self.name = name
        self.subject = subject
        self.status = status
        self.evidence = evidence
        self.remedy = remedy
    }

    static func pass(_ name: String, _ subject: String, _ evidence: String) -> DoctorCheck {
        DoctorCheck(name: name, subject: subject, status: .pass, evidence: evidence)
    }

    static func skip(_ name: String, _ subject: String, _ evidence: String) -> DoctorCheck {
        DoctorCheck(name: name, subject: subject, status: .skip, evidence: evidence)
    }

    static func warn(_ name: String, _ subject: String, _ evidence: String, fix: String) -> DoctorCheck {
        DoctorCheck(name: name, subject: subject, status: .warn, evidence: evidence, remedy: fix)
    }

    static func fail(_ name: String, _ subject: String, _ evidence: String, fix: String) -> DoctorCheck {
        DoctorCheck(name: name, subject: subject, status: .fail, evidence: evidence, remedy: fix)
    }
}
