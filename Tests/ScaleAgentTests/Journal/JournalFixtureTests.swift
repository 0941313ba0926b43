import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent
import TestSupport

/// The journal collector on real journal files written by systemd-journal-remote from export
/// text: every form of OOM kill, unit failures and restarts, PostgreSQL errors, noise; a restart
/// in the middle; broken files.
@Suite(.enabled(if: JournalFixture.isAvailable, "needs systemd-journal-remote (make deps)"), .serialized)
struct JournalFixtureTests {
    typealias Entry = JournalFixture.Entry

    static let noise: [Entry] = [
        .service("nginx.service", "10.0.0.7 - - \"GET / HTTP/1.1\" 200 612"),
        .kernel("eth0: Link is Up - 1Gbps/Full - flow control off", priority: 6),
        .service("cron.service", "(root) CMD (run-parts /etc/cron.hourly)"),
    ]

    /// One of each form, with the noise around them.
    static let incidents: [Entry] = noise + [
        // A global OOM: the invoker, the summary, the kill, the reaper.
        .kernel("postgres invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0", priority: 4),
        .kernel(
            "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/postgresql@15-main.service,task=postgres,pid=4711,uid=108",
            priority: 6),
        .kernel(
            "Out of memory: Killed process 4711 (postgres) total-vm:4194304kB, anon-rss:3145728kB, file-rss:1024kB, shmem-rss:0kB, UID:108 pgtables:6400kB oom_score_adj:0"),
        .kernel("oom_reaper: reaped process 4711 (postgres), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB", priority: 6),
        // A memory cgroup's limit.
        .kernel(
            "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/app.service,task_memcg=/system.slice/app.service,task=app,pid=812,uid=33",
            priority: 6),
        .kernel(
            "Memory cgroup out of memory: Killed process 812 (app) total-vm:262244kB, anon-rss:130816kB, file-rss:4kB, shmem-rss:0kB, UID:33 pgtables:300kB oom_score_adj:0"),
        // An old kernel's three lines.
        .kernel("Task in /docker/4f2a killed as a result of limit of /docker/4f2a", priority: 6),
        .kernel("Memory cgroup out of memory: Kill process 2592 (mysqld) score 926 or sacrifice child"),
        .kernel("Killed process 2592 (mysqld) total-vm:2450552kB, anon-rss:1397404kB, file-rss:0kB, shmem-rss:0kB"),
        // The service manager's view of the cgroup kill.
        .manager("app.service", "A process of this unit has been killed by the OOM killer.", priority: 4),
        .manager("app.service", "Main process exited, code=killed, status=9/KILL", priority: 5),
        .manager("app.service", "Failed with result 'oom-kill'."),
        .manager("app.service", "Scheduled restart job, restart counter is at 1.", priority: 6),
        // systemd-oomd kills a whole unit.
        .service(
            "systemd-oomd.service",
            "Killed /system.slice/batch.service due to memory pressure for /system.slice being 62.47% > 50.00% for > 20s with reclaim activity",
            priority: 5, identifier: "systemd-oomd"),
        .manager("batch.service", "systemd-oomd killed 12 process(es) in this unit.", priority: 5),
        .manager("batch.service", "Failed with result 'oom-kill'."),
        // A crash loop.
        .manager("worker.service", "Main process exited, code=exited, status=1/FAILURE", priority: 5),
        .manager("worker.service", "Failed with result 'exit-code'."),
        .manager("worker.service", "Scheduled restart job, restart counter is at 1.", priority: 6),
        // PostgreSQL, logging to the journal through stderr.
        .service("postgresql@15-main.service", "2024-05-01 10:00:00.123 UTC [4800] app@shop FATAL:  sorry, too many clients already", priority: 3, identifier: "postgres"),
        .service("postgresql@15-main.service", "2024-05-01 10:00:01.000 UTC [4801] app@shop ERROR:  deadlock detected", priority: 3, identifier: "postgres"),
        .service("postgresql@15-main.service", "2024-05-01 10:00:01.000 UTC [4801] app@shop DETAIL:  Process 4801 waits for ShareLock on transaction 77; blocked by process 4802.", priority: 3, identifier: "postgres"),
        .service(
            "postgresql@15-main.service",
            "2024-05-01 10:00:02.000 UTC [4803] app@shop WARNING:  terminating connection because of crash of another server process",
            priority: 4, identifier: "postgres"),
        .service(
            "postgresql@15-main.service", "2024-05-01 10:00:03.000 UTC [100] LOG:  could not fork new process for connection: Cannot allocate memory",
            priority: 6, identifier: "postgres"),
        // Look-alikes from userspace.
        .service("app.service", "user pasted: Out of memory: Killed process 1 (init)"),
        .service("app.service", "Out of memory: Killed process 2 (fake) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB"),
    ]

    private func follower(_ journal: String, _ directory: TestDirectory, predecessor: LogFollower? = nil) -> LogFollower {
        LogFollower(
            name: "journal", tally: LogTally(), positionFile: LogPositionFile(path: directory.file("data/logs/journal.positions")),
            logger: Logger(label: "test"), predecessor: predecessor, pollInterval: .milliseconds(20), retryDelay: .milliseconds(100)
        ) {
            ([JournalLogReader(source: .files([journal]), key: "journal")], "journal")
        }
    }

    private func settle(_ follower: LogFollower) -> LogFollower.Snapshot {
        #expect(follower.waitUntilCaughtUp(timeout: .seconds(20)))
        return follower.snapshot()
    }

    private func stop(_ follower: LogFollower) {
        follower.requestStop()
        #expect(follower.waitUntilStopped(timeout: .seconds(10)))
    }

    private static let start: UInt64 = 1_714_557_600_000_000

    @Test func firstRunStartsAtTheEndThenCountsEveryForm() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let journal = directory.file("system.journal")
        #expect(JournalFixture.append(Self.noise + Self.incidents, to: journal, start: Self.start, scratch: directory))
        let reader = follower(journal, directory)
        reader.start()
        defer { stop(reader) }
        let before = settle(reader)
        #expect(before.error == nil)
        #expect(before.tally.records == 0, "a first run starts at the end")

        #expect(JournalFixture.append(Self.incidents, to: journal, start: Self.start + 1_000_000, scratch: directory))
        let tally = settle(reader).tally
        #expect(tally.records == Double(Self.incidents.count))
        #expect(tally.oomKills.counts == [
            .init(process: "postgres", cgroup: "/system.slice/postgresql@15-main.service", killer: "kernel"): 1,
            .init(process: "app", cgroup: "/system.slice/app.service", killer: "kernel"): 1,
            .init(process: "mysqld", cgroup: "/docker/4f2a", killer: "kernel"): 1,
            .init(process: "batch.service", cgroup: "/system.slice/batch.service", killer: "systemd-oomd"): 1,
        ])
        #expect(tally.lastOOMVictim?.process == "batch.service")
        #expect(tally.unitFailures.counts == [
            .init(unit: "app.service", result: "oom-kill"): 1, .init(unit: "batch.service", result: "oom-kill"): 1,
            .init(unit: "worker.service", result: "exit-code"): 1,
        ])
        #expect(tally.unitRestarts.counts == ["app.service": 1, "worker.service": 1])
        #expect(tally.mainProcessExits.counts == [
            .init(unit: "app.service", code: "killed", status: "KILL"): 1, .init(unit: "worker.service", code: "exited", status: "FAILURE"): 1,
        ])
        #expect(tally.postgresErrors.counts == [
            .init(kind: .tooManyClients, source: "journal"): 1, .init(kind: .deadlock, source: "journal"): 1,
            .init(kind: .crashOfAnotherProcess, source: "journal"): 1, .init(kind: .couldNotFork, source: "journal"): 1,
        ])
        // Priorities as written: 3 err, 4 warning, 5 notice, 6 info.
        let byPriority = Dictionary(uniqueKeysWithValues: zip(LogTally.priorityNames, tally.entriesByPriority))
        #expect(byPriority["err"] == Double(Self.incidents.filter { $0.fields.contains { $0 == ("PRIORITY", "3") } }.count))
        #expect(tally.units.selected["init.scope"] == 9)
        #expect(tally.units.selected["postgresql@15-main.service"] == 5)
        #expect(tally.units.selected["none"] == 10, "kernel entries have no unit")

        // The victims, by name, for alerts and `scalewatch advise`.
        let victims = tally.recent.events.filter { $0.kind == .oomKill }
        #expect(victims.map { $0.details["process"] } == ["postgres", "app", "mysqld", "batch.service"])
        #expect(victims.first?.details["rss_bytes"] == String((3_145_728 + 1024) * 1024))
        #expect(victims.first?.details["unit"] == "postgresql@15-main.service")
        #expect(victims.first?.time == Double(Self.start + 1_000_000 + 5) / 1e6)
    }

    @Test func resumesFromTheCursorAcrossARestartWithoutLossOrDoubleCounting() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let journal = directory.file("system.journal")
        let tooMany = Entry.service(
            "postgresql@15-main.service", "2024-05-01 10:00:00.123 UTC [4800] app@shop FATAL:  sorry, too many clients already",
            priority: 3, identifier: "postgres")
        let failure = Entry.manager("app.service", "Failed with result 'exit-code'.")
        #expect(JournalFixture.append(Self.noise, to: journal, start: Self.start, scratch: directory))

        let first = follower(journal, directory)
        first.start()
        _ = settle(first)
        #expect(JournalFixture.append([tooMany, failure], to: journal, start: Self.start + 1_000_000, scratch: directory))
        // Rendered: these counts were exported, their position is saved.
        let exported = settle(first).tally
        #expect(exported.postgresErrors.counts.values.reduce(0, +) == 1)
        // Read but never rendered before the agent stops: the next process must count them.
        #expect(JournalFixture.append([tooMany, tooMany, failure], to: journal, start: Self.start + 2_000_000, scratch: directory))
        #expect(settle2(first).postgresErrors.counts.values.reduce(0, +) == 3)
        stop(first)
        let saved = try LogPositionFile(path: directory.file("data/logs/journal.positions")).load()
        #expect(saved["journal"]?.hasPrefix("s=") == true)

        // Written while the agent was down.
        #expect(JournalFixture.append([tooMany, failure, failure], to: journal, start: Self.start + 3_000_000, scratch: directory))
        let second = follower(journal, directory)
        second.start()
        let resumed = settle(second).tally
        #expect(resumed.records == 6)
        #expect(resumed.postgresErrors.counts == [.init(kind: .tooManyClients, source: "journal"): 3])
        #expect(resumed.unitFailures.counts == [.init(unit: "app.service", result: "exit-code"): 3])
        stop(second)

        // Nothing new: a third process counts nothing.
        let third = follower(journal, directory)
        third.start()
        #expect(settle(third).tally.records == 0)
        stop(third)
    }

    /// The counters without marking them rendered.
    private func settle2(_ follower: LogFollower) -> LogTally {
        #expect(follower.waitUntilCaughtUp(timeout: .seconds(20)))
        return follower.peekTally()
    }

    @Test func aGarbledCursorFallsBackToTheHead() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let journal = directory.file("system.journal")
        #expect(JournalFixture.append(Self.incidents, to: journal, start: Self.start, scratch: directory))
        try LogPositionFile(path: directory.file("data/logs/journal.positions")).save(["journal": "not-a-cursor"])
        let reader = follower(journal, directory)
        reader.start()
        defer { stop(reader) }
        #expect(settle(reader).tally.records == Double(Self.incidents.count))
    }

    /// The saved entry is gone (its file vacuumed, a new one written since): reading resumes at
    /// the first entry after it, even when that is the first entry of the journal.
    @Test func aVacuumedCursorResumesAtTheNextEntry() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let old = directory.file("old.journal")
        #expect(JournalFixture.append(Self.noise, to: old, start: Self.start, scratch: directory))
        let first = LogFollower(
            name: "journal", tally: LogTally(), positionFile: LogPositionFile(path: directory.file("data/logs/journal.positions")),
            logger: Logger(label: "test"), pollInterval: .milliseconds(20)
        ) { ([JournalLogReader(source: .files([old]), key: "journal")], "journal") }
        first.start()
        _ = settle(first)
        stop(first)

        let new = directory.file("new.journal")
        #expect(JournalFixture.append(Self.incidents, to: new, start: Self.start + 1_000_000, scratch: directory))
        let second = LogFollower(
            name: "journal", tally: LogTally(), positionFile: LogPositionFile(path: directory.file("data/logs/journal.positions")),
            logger: Logger(label: "test"), pollInterval: .milliseconds(20)
        ) { ([JournalLogReader(source: .files([new]), key: "journal")], "journal") }
        second.start()
        defer { stop(second) }
        #expect(settle(second).tally.records == Double(Self.incidents.count))
    }

    @Test(arguments: ["garbage", "truncated", "empty"])
    func aBrokenJournalFileIsAClearErrorNotACrash(kind: String) throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let journal = directory.file("broken.journal")
        switch kind {
        case "garbage":
            writeFile(journal, String(repeating: "LPKSHHRH not really a journal file ", count: 200))
        case "truncated":
            #expect(JournalFixture.append(Self.incidents, to: journal, start: Self.start, scratch: directory))
            #expect(truncate(journal, 3000) == 0)
        default:
            writeFile(journal, "")
        }
        let reader = follower(journal, directory)
        reader.start()
        defer { stop(reader) }
        let snapshot = settle(reader)
        let error = try #require(snapshot.error)
        #expect(error.contains("broken.journal"))
        #expect(error.contains("open"))

        let collector = JournalCollector(
            settings: { var settings = JournalSettings(); settings.files = [journal]; return settings }(), paths: HostPaths(),
            dataDirectory: directory.file("data"), logger: Logger(label: "test"), registry: LogFollowerRegistry())
        defer { stop(collector.runningFollower()) }
        var metrics = MetricsBuilder()
        try? collector.collect(into: &metrics)
        #expect(collector.runningFollower().waitUntilCaughtUp(timeout: .seconds(20)))
        #expect(throws: LogReadFailure.self) { try collector.collect(into: &metrics) }
    }

    @Test func corruptEntriesAreSkippedWithoutACrash() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let journal = directory.file("system.journal")
        #expect(JournalFixture.append(Array(repeating: Self.incidents, count: 20).flatMap { $0 }, to: journal, start: Self.start, scratch: directory))
        // Scribble over the middle of the object area.
        let fd = open(journal, O_WRONLY)
        var junk = [UInt8](repeating: 0xAB, count: 64 * 1024)
        #expect(pwrite(fd, &junk, junk.count, 96 * 1024) == junk.count)
        close(fd)
        try LogPositionFile(path: directory.file("data/logs/journal.positions")).save(["journal": JournalLogReader.headPosition])
        let reader = follower(journal, directory)
        reader.start()
        defer { stop(reader) }
        let snapshot = settle(reader)
        // Whatever libsystemd can still read is counted, or the error says why; no crash.
        #expect(snapshot.tally.records <= Double(20 * Self.incidents.count))
        #expect(snapshot.tally.records > 0 || snapshot.error != nil)
    }

    @Test func theCollectorRendersEveryFamily() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let journal = directory.file("system.journal")
        #expect(JournalFixture.append(Self.noise, to: journal, start: Self.start, scratch: directory))
        var settings = JournalSettings()
        settings.files = [journal]
        settings.unitsLimit = 3
        let collector = JournalCollector(
            settings: settings, paths: HostPaths(), dataDirectory: directory.file("data"), logger: Logger(label: "test"),
            registry: LogFollowerRegistry())
        defer { stop(collector.runningFollower()) }
        var metrics = MetricsBuilder()
        try collector.collect(into: &metrics)
        // The first collection waits for the reader to open the journal: it already reports it.
        #expect(metrics.build().contains { $0.name == "scalewatch_journal_source_info" })
        #expect(collector.runningFollower().waitUntilCaughtUp(timeout: .seconds(20)))
        #expect(JournalFixture.append(Self.incidents, to: journal, start: Self.start + 1_000_000, scratch: directory))
        #expect(collector.runningFollower().waitUntilCaughtUp(timeout: .seconds(20)))
        metrics = MetricsBuilder()
        try collector.collect(into: &metrics)
        let families = metrics.build()
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            families.first { $0.name == name }?.samples.first { sample in
                sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
            }?.value
        }
        #expect(value("scalewatch_journal_source_info", ["source": "journal"]) == 1)
        #expect(value("scalewatch_journal_entries_total", ["priority": "emerg"]) == 0)
        #expect(value("scalewatch_oom_kills_total", ["process": "postgres", "cgroup": "/system.slice/postgresql@15-main.service", "killer": "kernel"]) == 1)
        #expect(value("scalewatch_oom_kills_total", ["process": "batch.service", "cgroup": "/system.slice/batch.service", "killer": "systemd-oomd"]) == 1)
        #expect(value("scalewatch_oom_last_kill_timestamp_seconds", ["process": "batch.service", "cgroup": "/system.slice/batch.service", "killer": "systemd-oomd"]) != nil)
        #expect(value("scalewatch_unit_failures_total", ["unit": "worker.service", "result": "exit-code"]) == 1)
        #expect(value("scalewatch_unit_restarts_total", ["unit": "app.service"]) == 1)
        #expect(value("scalewatch_unit_main_process_exits_total", ["unit": "app.service", "code": "killed", "status": "KILL"]) == 1)
        #expect(value("scalewatch_postgres_log_errors_total", ["kind": "too_many_clients", "source": "journal"]) == 1)
        let units = families.first { $0.name == "scalewatch_journal_unit_entries_total" }?.samples ?? []
        #expect(units.count == 4, "3 units and other")
        #expect(units.map(\.value).reduce(0, +) == Double(Self.incidents.count))
        #expect(families.allSatisfy { !$0.help.isEmpty })
        #expect(collector.recentEvents().contains { $0.kind == .oomKill && $0.details["process"] == "mysqld" })
    }
}

@Suite struct JournalSourceTests {
    @Test func configuredDirectoriesAndFilesWin() {
        var settings = JournalSettings()
        settings.directories = ["/var/log/journal/remote"]
        settings.files = ["/a.journal", "/b.journal"]
        #expect(JournalSources.choose(settings: settings, paths: HostPaths()) == [
            .journal(.directory("/var/log/journal/remote"), key: "journal:directory:/var/log/journal/remote"),
            .journal(.files(["/a.journal", "/b.journal"]), key: "journal:files"),
        ])
    }

    @Test func theHostsJournalElseKmsgElseNothing() {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let paths = HostPaths(procfs: directory.file("proc"), rootfs: directory.path)
        #expect(JournalSources.choose(settings: JournalSettings(), paths: paths) == [])
        _ = runProcess(["/bin/mkdir", "-p", directory.file("var/log/journal"), directory.file("dev")])
        writeFile(directory.file("dev/kmsg"), "")
        // An empty /var/log/journal is not a journal.
        #expect(JournalSources.choose(settings: JournalSettings(), paths: paths) == [.kmsg(path: directory.file("dev/kmsg"))])
        _ = runProcess(["/bin/mkdir", "-p", directory.file("var/log/journal/0123")])
        writeFile(directory.file("var/log/journal/0123/system.journal"), "")
        #expect(JournalSources.choose(settings: JournalSettings(), paths: paths) == [.journal(.osRoot(directory.path), key: "journal")])
    }

    @Test func noSourceRendersNothingAndSucceeds() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let collector = JournalCollector(
            settings: JournalSettings(), paths: HostPaths(procfs: directory.file("proc"), rootfs: directory.path), dataDirectory: nil,
            logger: Logger(label: "test"), registry: LogFollowerRegistry())
        defer {
            collector.runningFollower().requestStop()
            collector.runningFollower().waitUntilStopped(timeout: .seconds(10))
        }
        var metrics = MetricsBuilder()
        try collector.collect(into: &metrics)
        #expect(collector.runningFollower().waitUntilCaughtUp(timeout: .seconds(10)))
        try collector.collect(into: &metrics)
        #expect(metrics.build().isEmpty)
    }
}

@Suite struct LogFollowerRegistryTests {
    private func make(_ predecessor: LogFollower?) -> LogFollower {
        LogFollower(
            name: "x", tally: LogTally(), positionFile: nil, logger: Logger(label: "test"), predecessor: predecessor,
            pollInterval: .milliseconds(10), idleGrace: .milliseconds(50)
        ) { ([], nil) }
    }

    @Test func sameSettingsShareAFollowerAndOthersReplaceIt() {
        let registry = LogFollowerRegistry()
        let first = registry.lease(name: "journal", configuration: "a", make: make)
        let again = registry.lease(name: "journal", configuration: "a", make: make)
        #expect(first.follower === again.follower)
        let other = registry.lease(name: "journal", configuration: "b", make: make)
        #expect(other.follower !== first.follower)
        #expect(first.follower.waitUntilStopped(timeout: .seconds(5)))
        #expect(!other.follower.waitUntilStopped(timeout: .milliseconds(200)))
    }

    @Test func aFollowerWithoutLeasesStopsAfterTheGrace() {
        let registry = LogFollowerRegistry()
        var lease: LogFollowerLease? = registry.lease(name: "journal", configuration: "a", make: make)
        let follower = lease!.follower
        #expect(!follower.waitUntilStopped(timeout: .milliseconds(200)))
        lease = nil
        #expect(follower.waitUntilStopped(timeout: .seconds(5)))
        // A later lease starts a new one.
        let next = registry.lease(name: "journal", configuration: "a", make: make)
        #expect(next.follower !== follower)
        _ = lease
    }

    @Test func stopAllStopsLeasedFollowersAndForgetsThem() {
        let registry = LogFollowerRegistry()
        let journal = registry.lease(name: "journal", configuration: "a", make: make)
        let files = registry.lease(name: "postgres_log", configuration: "a", make: make)
        #expect(registry.stopAll(timeout: .seconds(5)).isEmpty)
        #expect(journal.follower.waitUntilStopped(timeout: .zero))
        #expect(files.follower.waitUntilStopped(timeout: .zero))
        // After a stop, a new lease starts a new follower rather than the stopped one.
        let next = registry.lease(name: "journal", configuration: "a", make: make)
        #expect(next.follower !== journal.follower)
        #expect(registry.stopAll(timeout: .seconds(5)).isEmpty)
    }
}
