import Testing

@testable import ScaleAgent

@Suite struct LogTallyTests {
    private func kernel(_ message: String, time: Double = 100) -> (LogRecord, (String) -> String?) {
        (LogRecord(message: message, priority: 3, unit: nil, time: time, origin: .journal), { $0 == "_TRANSPORT" ? "kernel" : nil })
    }

    private func record(_ tally: inout LogTally, _ pair: (LogRecord, (String) -> String?)) {
        tally.record(pair.0, field: pair.1)
    }

    @Test func summaryAndKillLineCountOnceWithTheCgroup() {
        var tally = LogTally()
        record(&tally, kernel("postgres invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0"))
        record(&tally, kernel(
            "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/postgresql@15-main.service,task=postgres,pid=4711,uid=108"))
        record(&tally, kernel(
            "Out of memory: Killed process 4711 (postgres) total-vm:4194304kB, anon-rss:3145728kB, file-rss:0kB, shmem-rss:0kB, UID:108 pgtables:6400kB oom_score_adj:0",
            time: 1_700_000_000.5))
        record(&tally, kernel("oom_reaper: reaped process 4711 (postgres), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"))
        #expect(tally.oomKills.counts == [.init(process: "postgres", cgroup: "/system.slice/postgresql@15-main.service", killer: "kernel"): 1])
        #expect(
            tally.lastOOMVictim
                == OOMVictim(
                    pid: 4711, process: "postgres", cgroup: "/system.slice/postgresql@15-main.service", rssBytes: 3_145_728 * 1024,
                    time: 1_700_000_000.5, killer: "kernel"))
        let event = tally.recent.events.last
        #expect(event?.kind == .oomKill)
        #expect(event?.details["unit"] == "postgresql@15-main.service")
        #expect(event?.details["pid"] == "4711")
        #expect(event?.details["constraint"] == "CONSTRAINT_NONE")
        #expect(event?.summary == "the kernel OOM killer killed postgres (pid 4711, RSS 3.0 GiB) in /system.slice/postgresql@15-main.service")
    }

    @Test func aKillLineWithoutSummaryHasNoCgroup() {
        var tally = LogTally()
        record(&tally, kernel(
            "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,task_memcg=/a,task=other,pid=1,uid=0"))
        record(&tally, kernel("Memory cgroup out of memory: Killed process 2 (app) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB"))
        #expect(tally.oomKills.counts == [.init(process: "app", cgroup: "", killer: "kernel"): 1])
        #expect(tally.lastOOMVictim?.cgroup == nil)
    }

    @Test func oldKernelsTaskInLineGivesTheCgroup() {
        var tally = LogTally()
        record(&tally, kernel("Task in /docker/4f2a killed as a result of limit of /docker/4f2a"))
        record(&tally, kernel("Memory cgroup out of memory: Kill process 812 (app) score 1000 or sacrifice child"))
        record(&tally, kernel("Killed process 812 (app) total-vm:10kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB"))
        record(&tally, kernel("Killed process 813 (app) total-vm:10kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB"))
        #expect(tally.oomKills.counts == [
            .init(process: "app", cgroup: "/docker/4f2a", killer: "kernel"): 1, .init(process: "app", cgroup: "", killer: "kernel"): 1,
        ])
    }

    @Test func kernelFormsCountOnlyFromTheKernel() {
        var tally = LogTally()
        let line = "Out of memory: Killed process 1 (x)"
        tally.record(LogRecord(message: line, priority: 6, unit: "app.service", time: 0, origin: .journal)) { $0 == "_TRANSPORT" ? "stdout" : nil }
        tally.record(LogRecord(message: line, priority: 6, unit: nil, time: 0, origin: .kernelLog(facility: 1)))
        tally.record(LogRecord(message: line, priority: 6, unit: nil, time: 0, origin: .file("/var/log/x.log")))
        #expect(tally.oomKills.counts.isEmpty)
        tally.record(LogRecord(message: line, priority: 3, unit: nil, time: 0, origin: .kernelLog(facility: 0)))
        #expect(tally.oomKills.counts.values.reduce(0, +) == 1)
    }

    @Test func oomdKillsWholeUnits() {
        var tally = LogTally()
        tally.record(LogRecord(
            message: "Killed /system.slice/app.service due to memory pressure for /system.slice being 62.47% > 50.00% for > 20s with reclaim activity",
            priority: 5, unit: "systemd-oomd.service", time: 7, origin: .journal))
        tally.record(LogRecord(message: "app.service: systemd-oomd killed 12 process(es) in this unit.", priority: 5, unit: "init.scope", time: 7, origin: .journal))
        tally.record(LogRecord(message: "app.service: Failed with result 'oom-kill'.", priority: 4, unit: "init.scope", time: 7, origin: .journal))
        #expect(tally.oomKills.counts == [.init(process: "app.service", cgroup: "/system.slice/app.service", killer: "systemd-oomd"): 1])
        #expect(tally.unitFailures.counts == [.init(unit: "app.service", result: "oom-kill"): 1])
        #expect(tally.recent.events.map(\.kind) == [.oomKill, .unitFailure])
        #expect(tally.recent.events.first?.summary == "systemd-oomd (memory pressure) killed app.service in /system.slice/app.service")
    }

    @Test func unitFailureCarriesTheMainProcessExit() {
        var tally = LogTally()
        for message in [
            "app.service: Main process exited, code=killed, status=9/KILL",
            "app.service: Failed with result 'signal'.",
            "app.service: Scheduled restart job, restart counter is at 1.",
            "app.service: Main process exited, code=exited, status=1/FAILURE",
            "app.service: Failed with result 'exit-code'.",
            "app.service: Scheduled restart job, restart counter is at 2.",
        ] {
            tally.record(LogRecord(message: message, priority: 4, unit: "init.scope", time: 1, origin: .journal))
        }
        #expect(tally.unitFailures.counts == [.init(unit: "app.service", result: "signal"): 1, .init(unit: "app.service", result: "exit-code"): 1])
        #expect(tally.unitRestarts.counts == ["app.service": 2])
        #expect(tally.mainProcessExits.counts == [
            .init(unit: "app.service", code: "killed", status: "KILL"): 1, .init(unit: "app.service", code: "exited", status: "FAILURE"): 1,
        ])
        #expect(tally.recent.events.map(\.summary) == [
            "app.service failed with result 'signal' (main process exited, code=killed, status=9/KILL)",
            "app.service failed with result 'exit-code' (main process exited, code=exited, status=1/FAILURE)",
        ])
    }

    @Test func prioritiesAndUnitsAreCounted() {
        var tally = LogTally()
        tally.record(LogRecord(message: "a", priority: 6, unit: "nginx.service", time: 0, origin: .journal))
        tally.record(LogRecord(message: "b", priority: 3, unit: "nginx.service", time: 0, origin: .journal))
        tally.record(LogRecord(message: "c", priority: nil, unit: nil, time: 0, origin: .journal))
        tally.record(LogRecord(message: "d", priority: 9, unit: nil, time: 0, origin: .kernelLog(facility: 0)))
        #expect(tally.entriesByPriority == [0, 0, 0, 1, 0, 0, 1, 0, 2])
        #expect(tally.units.selected == ["nginx.service": 2, "none": 1])
        #expect(tally.records == 4)
    }

    @Test func filesCountOnlyPostgresForms() {
        var tally = LogTally()
        for line in [
            "2024-05-01 10:00:00 UTC [1] FATAL:  sorry, too many clients already",
            "Out of memory: Killed process 1 (x)",
            "x.service: Failed with result 'exit-code'.",
        ] {
            tally.record(LogRecord(message: line, priority: nil, unit: nil, time: 0, origin: .file("/var/log/postgresql/main.log")))
        }
        #expect(tally.postgresErrors.counts == [.init(kind: .tooManyClients, source: "/var/log/postgresql/main.log"): 1])
        #expect(tally.oomKills.counts.isEmpty && tally.unitFailures.counts.isEmpty)
        #expect(tally.entriesByPriority.allSatisfy { $0 == 0 })
        #expect(tally.fileLines == ["/var/log/postgresql/main.log": 3])
    }

    @Test func eventFamiliesAreBounded() {
        var limits = LogTally.Limits()
        limits.seriesPerFamily = 2
        limits.recentEvents = 3
        var tally = LogTally(limits: limits)
        for index in 0..<5 {
            tally.record(LogRecord(message: "u\(index).service: Failed with result 'exit-code'.", priority: 4, unit: nil, time: Double(index), origin: .journal))
        }
        #expect(tally.unitFailures.counts == [
            .init(unit: "u0.service", result: "exit-code"): 1, .init(unit: "u1.service", result: "exit-code"): 1,
            .init(unit: "other", result: "exit-code"): 3,
        ])
        #expect(tally.recent.events.map(\.time) == [2, 3, 4])
    }

    @Test func topUnitsKeepEveryCountOnceAndSwapInHeavyUnits() {
        var counter = TopUnitCounter(limit: 2, window: 10)
        for unit in ["a", "b", "c", "a", "b", "c", "c", "c", "c", "c"] { counter.add(unit) }
        // After the window: c (6) beats the quieter of a and b (2 each) by more than twice.
        #expect(counter.other == 6)
        #expect(counter.selected.count == 2)
        #expect(counter.selected["c"] == 0)
        counter.add("c")
        #expect(counter.selected["c"] == 1)
        let total = counter.selected.values.reduce(0, +) + counter.other
        // 11 entries in all; the dropped unit's 2 left with its series.
        #expect(total == 9)
    }

    @Test func topUnitsNeverExceedTheLimit() {
        var counter = TopUnitCounter(limit: 3, window: 50)
        for index in 0..<1000 { counter.add("run-u\(index % 97).service") }
        #expect(counter.selected.count == 3)
        #expect(counter.selected.values.reduce(0, +) + counter.other <= 1000)
    }

    @Test func recentEventsKeepTheNewest() {
        var recent = RecentEvents(capacity: 2)
        for index in 0..<5 { recent.append(NotableLogEvent(time: Double(index), kind: .postgresError, summary: "", details: [:])) }
        #expect(recent.events.map(\.time) == [3, 4])
    }

    @Test(arguments: [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KiB"), (3 << 30, "3.0 GiB")] as [(UInt64, String)])
    func bytesAreFormattedForPeople(bytes: UInt64, text: String) {
        #expect(LogTally.formatBytes(bytes) == text)
    }
}
