import Logging

/// OOM kills, unit failures and restarts, PostgreSQL errors and entry counts from the journal
/// (libsystemd's sd-journal) or, where no journald runs, /dev/kmsg.
///
/// A follower thread reads the log and keeps the counters (`LogFollower`); `collect` only
/// renders them, so a journal of millions of entries never holds up a collection. Positions
/// (the journal cursor, the kmsg sequence number) are saved under `DATA_DIR/logs/`, so a
/// restarted agent continues where the last rendered counters ended; a first run starts at
/// the end. Counters start at 0 with the process, as Prometheus counters do.
public struct JournalCollector: Collector {
    public let name = "journal"
    private let settings: JournalSettings
    private let paths: HostPaths
    private let dataDirectory: String?
    private let logger: Logger
    private let registry: LogFollowerRegistry
    private let follower = LazyLogFollower()

    public init(settings: JournalSettings, paths: HostPaths, dataDirectory: String?, logger: Logger, registry: LogFollowerRegistry) {
        self.settings = settings
        self.paths = paths
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.registry = registry
    }

    static let positionFileName = "logs/journal.positions"

    /// How long the first collection waits for the reader to open its source.
    static let startWait: Duration = .milliseconds(500)

    /// The settings that make a follower: another value means another follower.
    private var configuration: String {
        "\(settings) \(paths) \(dataDirectory ?? "-")"
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let follower = runningFollower()
        follower.waitUntilStarted(timeout: Self.startWait)
        let snapshot = follower.snapshot()
        if let error = snapshot.error { throw LogReadFailure(message: error) }
        guard let source = snapshot.source else { return }
        Self.render(snapshot.tally, source: source, into: &metrics)
        if source.contains("journal") { Self.renderTimers(TimerUnits.read(paths: paths), snapshot.tally.unitRuns, into: &metrics) }
    }

    /// The notable events the follower has seen (OOM victims, unit failures, PostgreSQL errors), oldest first.
    public func recentEvents() -> [NotableLogEvent] {
        runningFollower().snapshot().tally.recent.events
    }

    func runningFollower() -> LogFollower {
        follower.get {
            registry.lease(name: name, configuration: configuration) { predecessor in
                let settings = self.settings
                let paths = self.paths
                var limits = LogTally.Limits()
                limits.units = settings.unitsLimit
                return LogFollower(
                    name: name, tally: LogTally(limits: limits),
                    positionFile: dataDirectory.map { LogPositionFile(path: $0 + "/" + Self.positionFileName) },
                    logger: logger, predecessor: predecessor
                ) {
                    JournalSources.readers(for: JournalSources.choose(settings: settings, paths: paths), paths: paths)
                }
            }
        }
    }

    static func render(_ tally: LogTally, source: String, into metrics: inout MetricsBuilder) {
        metrics.gauge(
            "scalewatch_journal_source_info", "What the journal collector reads: journal (sd-journal) or kmsg (/dev/kmsg).",
            1, ["source": source])
        for (index, name) in LogTally.priorityNames.enumerated() where index < 8 || tally.entriesByPriority[index] > 0 {
            metrics.counter(
                "scalewatch_journal_entries_total", "Log entries read, by syslog priority (none: the entry had none).",
                tally.entriesByPriority[index], ["priority": name])
        }
        if source.contains("journal") {
            let unitHelp = "Journal entries read, by the systemd unit that logged them (a bounded set; the rest as other)."
            for (unit, count) in tally.units.selected.sorted(by: { $0.key < $1.key }) {
                metrics.counter("scalewatch_journal_unit_entries_total", unitHelp, count, ["unit": unit])
            }
            metrics.counter("scalewatch_journal_unit_entries_total", unitHelp, tally.units.other, ["unit": TopUnitCounter.other])
        }
        for (key, count) in tally.oomKills.counts.sorted(by: { ($0.key.process, $0.key.cgroup) < ($1.key.process, $1.key.cgroup) }) {
            metrics.counter(
                "scalewatch_oom_kills_total",
                "OOM kills seen in the log, by victim process (or unit, for systemd-oomd), its cgroup and the killer (kernel or systemd-oomd).",
                count, ["cgroup": key.cgroup, "killer": key.killer, "process": key.process])
        }
        if let victim = tally.lastOOMVictim {
            let labels: KeyValuePairs = [
                "cgroup": victim.cgroup ?? "", "killer": victim.killer, "pid": victim.pid.map(String.init) ?? "",
                "process": victim.process,
            ]
            metrics.gauge(
                "scalewatch_oom_last_kill_timestamp_seconds", "When the last OOM kill seen in the log happened; labels name its victim.",
                victim.time, labels)
            if let rss = victim.rssBytes {
                metrics.gauge(
                    "scalewatch_oom_last_victim_rss_bytes", "Resident memory of the last OOM victim when it was killed (anon + file + shmem).",
                    Double(rss), labels)
            }
        }
        for (key, count) in tally.unitFailures.counts.sorted(by: { ($0.key.unit, $0.key.result) < ($1.key.unit, $1.key.result) }) {
            metrics.counter(
                "scalewatch_unit_failures_total", "Unit failures logged by the service manager ('Failed with result'), by unit and result.",
                count, ["result": key.result, "unit": key.unit])
        }
        for (unit, count) in tally.unitRestarts.counts.sorted(by: { $0.key < $1.key }) {
            metrics.counter(
                "scalewatch_unit_restarts_total", "Automatic restarts scheduled by the service manager ('Scheduled restart job'), by unit.",
                count, ["unit": unit])
        }
        for (key, count) in tally.mainProcessExits.counts.sorted(by: { ($0.key.unit, $0.key.code, $0.key.status) < ($1.key.unit, $1.key.code, $1.key.status) }) {
            metrics.counter(
                "scalewatch_unit_main_process_exits_total",
                "Unsuccessful exits of a unit's main process ('Main process exited'), by unit, code (exited, killed, dumped) and status.",
                count, ["code": key.code, "status": key.status, "unit": key.unit])
        }
        renderPostgresErrors(tally.postgresErrors.counts, into: &metrics)
    }

    /// systemd's unit results (UNIT_RESULT=); each timer's service gets one series per result
    /// once it has one, 1 for the last (node_exporter's way with unit states). A result not in
    /// this list gets a series of its own.
    static let unitResults = [
        "success", "exit-code", "signal", "core-dump", "timeout", "watchdog", "oom-kill", "start-limit-hit", "resources", "protocol",
    ]

    /// Each timer's service's last start (0: none seen since the agent started reading the
    /// journal) and last result.
    static func renderTimers(_ timers: [TimerUnit], _ runs: UnitRuns, into metrics: inout MetricsBuilder) {
        for timer in timers {
            let run = runs.services[timer.service]
            metrics.gauge(
                "scalewatch_timer_last_trigger_timestamp_seconds",
                "When the service a systemd timer starts last started, from the journal (0: not seen since the agent started reading it).",
                run?.lastStart ?? 0, ["service": timer.service, "timer": timer.timer])
        }
        for timer in timers {
            guard let last = runs.services[timer.service]?.lastResult else { continue }
            let results = unitResults.contains(last) ? unitResults : unitResults + [last]
            for result in results {
                metrics.gauge(
                    "scalewatch_timer_service_last_result",
                    "The last result of the service a systemd timer starts, from the journal: 1 for the last result (success, exit-code, signal, timeout, oom-kill, …), 0 for the others.",
                    result == last ? 1 : 0, ["result": result, "service": timer.service, "timer": timer.timer])
            }
        }
    }

    static let postgresErrorsHelp =
        "PostgreSQL errors seen in its log, by kind (too_many_clients, deadlock, crash_of_another_process, could_not_fork, …) and source (journal, kmsg or the log file)."

    static func renderPostgresErrors(_ counts: [LogTally.PostgresKey: Double], into metrics: inout MetricsBuilder) {
        for (key, count) in counts.sorted(by: { ($0.key.source, $0.key.kind) < ($1.key.source, $1.key.kind) }) {
            metrics.counter(
                "scalewatch_postgres_log_errors_total", postgresErrorsHelp, count,
                ["kind": key.kind.rawValue, "source": key.source])
        }
    }
}

/// A log follower that cannot read its source (a missing or corrupt journal file, a refused
/// /dev/kmsg): the collector reports failure with this message until it recovers.
struct LogReadFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
