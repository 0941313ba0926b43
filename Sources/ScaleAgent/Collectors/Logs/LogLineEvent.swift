/// What a log line means to the agent, if anything: the union of the classifiers' forms.
enum LogLineEvent: Equatable, Sendable {
    case kernelOOM(KernelOOMMessage)
    case oomdKill(OomdKillMessage)
    case unit(UnitMessage)
    case postgres(PostgresLogMessage.Kind)

    /// Classifies one message; pure. `unitField` supplies the entry's `UNIT=`/`USER_UNIT=` and is
    /// called only for a unit message without a unit prefix. Most lines are noise and leave
    /// after a handful of byte searches.
    static func classify(_ message: String, unitField: () -> String? = { nil }) -> LogLineEvent? {
        if let oom = KernelOOMMessage.parse(message) { return .kernelOOM(oom) }
        if let kill = OomdKillMessage.parse(message) { return .oomdKill(kill) }
        if let unit = UnitMessage.parse(message, unitField: unitField) { return .unit(unit) }
        if let kind = PostgresLogMessage.classify(message) { return .postgres(kind) }
        return nil
    }
}

/// One log line as a reader hands it over.
struct LogRecord: Sendable {
    var message: String
    /// syslog level 0 (emerg) … 7 (debug), when the source says.
    var priority: Int?
    /// The unit that logged it (`_SYSTEMD_UNIT`); nil from /dev/kmsg and log files.
    var unit: String?
    /// Seconds since the epoch.
    var time: Double
    var origin: Origin
    /// The journal entry's catalog `MESSAGE_ID=`, if it has one (UnitRunMessage).
    var messageID: String? = nil

    enum Origin: Sendable, Equatable {
        /// The journal; kernel forms count only with `_TRANSPORT=kernel`.
        case journal
        /// /dev/kmsg; kernel forms count only with facility 0 (the kernel's own, not a
        /// userspace write to /dev/kmsg).
        case kernelLog(facility: Int)
        /// A PostgreSQL log file, by its configured path; only PostgreSQL forms count.
        case file(String)
    }
}
