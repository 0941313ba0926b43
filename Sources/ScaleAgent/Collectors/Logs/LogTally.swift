/// Everything the log collectors count, updated one record at a time by the reader thread and
/// copied out (a cheap copy-on-write) when a collector renders it. Pure: no I/O, no clock.
struct LogTally: Sendable, Equatable {
    struct Limits: Sendable, Equatable {
        /// Units with a series of their own in `scalewatch_journal_unit_entries_total`.
        var units = 20
        /// Label sets per event family; more are counted under `other`.
        var seriesPerFamily = 100
        var recentEvents = 32
    }

    struct OOMKey: Hashable, Sendable {
        var process: String
        var cgroup: String
        var killer: String
    }

    struct UnitResultKey: Hashable, Sendable {
        var unit: String
        var result: String
    }

    struct ExitKey: Hashable, Sendable {
        var unit: String
        var code: String
        var status: String
    }

    struct PostgresKey: Hashable, Sendable {
        var kind: PostgresLogMessage.Kind
        var source: String
    }

    struct RotationKey: Hashable, Sendable {
        var file: String
        var kind: RotationKind
    }

    /// How a followed log file was rotated; `lost` when the rest of the old file could not be
    /// found (compressed at once, or rotated twice while the agent was down).
    enum RotationKind: String, Sendable {
        case rename, truncate, lost
    }

    /// Index 0…7 by syslog level, 8 for entries without one.
    private(set) var entriesByPriority = [Double](repeating: 0, count: 9)
    private(set) var records: Double = 0
    private(set) var units: TopUnitCounter
    private(set) var oomKills: CappedCounts<OOMKey>
    private(set) var unitFailures: CappedCounts<UnitResultKey>
    private(set) var unitRestarts: CappedCounts<String>
    private(set) var mainProcessExits: CappedCounts<ExitKey>
    private(set) var postgresErrors: CappedCounts<PostgresKey>
    private(set) var fileLines: [String: Double] = [:]
    private(set) var fileRotations: [RotationKey: Double] = [:]
    private(set) var lastOOMVictim: OOMVictim?
    /// Set for an access-log follower: its file lines are requests, not log messages.
    private(set) var accessLog: AccessLogTally?
    private(set) var recent: RecentEvents
    /// Services' last start and result, for timers (Journal/UnitRuns.swift).
    private(set) var unitRuns = UnitRuns()

    /// `oom-kill:` summaries by pid, waiting for their `Killed process` line.
    private var pendingSummaries: [Int: KernelOOMMessage.Summary] = [:]
    /// A pre-4.19 `Task in … killed` line, waiting for its kill line.
    private var pendingTaskCgroup: String?
    /// The last `Main process exited` per unit, to describe the failure that follows it.
    private var lastExit: [String: String] = [:]

    init(limits: Limits = Limits(), accessLog: AccessLogTally? = nil) {
        self.accessLog = accessLog
        units = TopUnitCounter(limit: limits.units)
        oomKills = CappedCounts(limit: limits.seriesPerFamily)
        unitFailures = CappedCounts(limit: limits.seriesPerFamily)
        unitRestarts = CappedCounts(limit: limits.seriesPerFamily)
        mainProcessExits = CappedCounts(limit: limits.seriesPerFamily)
        postgresErrors = CappedCounts(limit: limits.seriesPerFamily)
        recent = RecentEvents(capacity: limits.recentEvents)
    }

    static let priorityNames = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", "none"]

    /// Counts one record. `field` reads another field of the same journal entry (`_TRANSPORT`,
    /// `UNIT`, `USER_UNIT`); it is called only for the rare lines that need one.
    mutating func record(_ record: LogRecord, field: (String) -> String? = { _ in nil }) {
        records += 1
        var isFile = false
        if case .file(let path) = record.origin {
            isFile = true
            fileLines[path, default: 0] += 1
        }
        if !isFile {
            let level = record.priority.flatMap { (0...7).contains($0) ? $0 : nil } ?? 8
            entriesByPriority[level] += 1
        }
        if case .journal = record.origin {
            units.add(record.unit ?? "none")
            if let id = record.messageID, let run = UnitRunMessage.parse(messageID: id, field: field) {
                unitRuns.record(run, time: record.time)
            }
        }

        let event: LogLineEvent?
        if isFile {
            event = PostgresLogMessage.classifyFileLine(record.message).map(LogLineEvent.postgres)
        } else {
            event = LogLineEvent.classify(record.message) { field("UNIT") ?? field("USER_UNIT") }
        }
        guard let event else { return }
        switch event {
        case .kernelOOM(let oom):
            guard isKernelOrigin(record, field: field) else { return }
            kernelOOM(oom, time: record.time)
        case .oomdKill(let kill):
            oomdKill(kill, time: record.time)
        case .unit(let message):
            unit(message, time: record.time)
        case .postgres(let kind):
            let source: String
            switch record.origin {
            case .journal: source = "journal"
            case .kernelLog: source = "kmsg"
            case .file(let path): source = path
            }
            postgresErrors.add(PostgresKey(kind: kind, source: source), overflow: PostgresKey(kind: kind, source: "other"))
            recent.append(
                NotableLogEvent(
                    time: record.time, kind: .postgresError,
                    summary: "PostgreSQL: \(record.message)", details: ["kind": kind.rawValue, "source": source]))
        }
    }

    /// Counts one line of a followed file, given as its bytes (without the newline): an
    /// access log parses them in place; other files become a `LogRecord`.
    mutating func recordFileLine(_ line: UnsafeRawBufferPointer, path: String, time: Double) {
        if accessLog != nil {
            records += 1
            accessLog!.record(line.assumingMemoryBound(to: UInt8.self))
            return
        }
        record(LogRecord(message: String(decoding: line, as: UTF8.self), priority: nil, unit: nil, time: time, origin: .file(path)))
    }

    mutating func countRotation(file: String, kind: RotationKind) {
        fileRotations[RotationKey(file: file, kind: kind), default: 0] += 1
    }

    private func isKernelOrigin(_ record: LogRecord, field: (String) -> String?) -> Bool {
        switch record.origin {
        case .journal: return field("_TRANSPORT") == "kernel"
        case .kernelLog(let facility): return facility == 0
        case .file: return false
        }
    }

    private mutating func kernelOOM(_ message: KernelOOMMessage, time: Double) {
        switch message {
        case .summary(let summary):
            if pendingSummaries.count >= 32 { pendingSummaries.removeAll() }
            pendingSummaries[summary.pid] = summary
        case .taskInCgroup(let cgroup):
            pendingTaskCgroup = cgroup
        case .killed(let killed):
            let summary = pendingSummaries.removeValue(forKey: killed.pid)
            let cgroup = summary?.cgroup ?? pendingTaskCgroup
            pendingTaskCgroup = nil
            let victim = OOMVictim(
                pid: killed.pid, process: killed.process, cgroup: cgroup, rssBytes: killed.rssBytes, time: time,
                killer: "kernel")
            var details = ["scope": killed.scope.rawValue]
            if let constraint = summary?.constraint { details["constraint"] = constraint }
            let scope =
                switch killed.scope {
                case .system: "the kernel OOM killer"
                case .cgroup: "the kernel OOM killer (memory cgroup limit)"
                case .unspecified: "the kernel OOM killer"
                }
            countOOM(victim, by: scope, details: details)
        }
    }

    private mutating func oomdKill(_ kill: OomdKillMessage, time: Double) {
        let victim = OOMVictim(pid: nil, process: kill.unit, cgroup: kill.cgroup, rssBytes: nil, time: time, killer: "systemd-oomd")
        countOOM(victim, by: "systemd-oomd (\(kill.reason.rawValue))", details: ["reason": kill.reason.rawValue])
    }

    private mutating func countOOM(_ victim: OOMVictim, by killer: String, details extra: [String: String]) {
        let cgroup = victim.cgroup ?? ""
        oomKills.add(
            OOMKey(process: victim.process, cgroup: cgroup, killer: victim.killer),
            overflow: OOMKey(process: "other", cgroup: "other", killer: victim.killer))
        lastOOMVictim = victim
        var details = extra.merging(["process": victim.process, "killer": victim.killer]) { $1 }
        var what = victim.process
        var facts: [String] = []
        if let pid = victim.pid {
            details["pid"] = String(pid)
            facts.append("pid \(pid)")
        }
        if let rss = victim.rssBytes {
            details["rss_bytes"] = String(rss)
            facts.append("RSS \(Self.formatBytes(rss))")
        }
        if !facts.isEmpty { what += " (" + facts.joined(separator: ", ") + ")" }
        if let path = victim.cgroup {
            details["cgroup"] = path
            if let unit = path.split(separator: "/").last, UnitMessage.isUnitName(unit) { details["unit"] = String(unit) }
            what += " in \(path)"
        }
        recent.append(NotableLogEvent(time: victim.time, kind: .oomKill, summary: "\(killer) killed \(what)", details: details))
    }

    private mutating func unit(_ message: UnitMessage, time: Double) {
        let other = "other"
        switch message {
        case .failed(let unit, let result):
            unitFailures.add(UnitResultKey(unit: unit, result: result), overflow: UnitResultKey(unit: other, result: result))
            var details = ["unit": unit, "result": result]
            var summary = "\(unit) failed with result '\(result)'"
            if let exit = lastExit.removeValue(forKey: unit) {
                details["exit"] = exit
                summary += " (main process exited, \(exit))"
            }
            recent.append(NotableLogEvent(time: time, kind: .unitFailure, summary: summary, details: details))
        case .mainProcessExited(let unit, let code, let status):
            let signalOrCode = status.split(separator: "/", maxSplits: 1).last.map(String.init) ?? status
            mainProcessExits.add(
                ExitKey(unit: unit, code: code, status: signalOrCode),
                overflow: ExitKey(unit: other, code: code, status: signalOrCode))
            if lastExit.count >= 64 { lastExit.removeAll() }
            lastExit[unit] = "code=\(code), status=\(status)"
        case .restartScheduled(let unit, _):
            unitRestarts.add(unit, overflow: other)
        }
    }

    static func formatBytes(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        if index == 0 { return "\(bytes) B" }
        let tenths = (value * 10).rounded() / 10
        return "\(tenths) \(units[index])"
    }
}
