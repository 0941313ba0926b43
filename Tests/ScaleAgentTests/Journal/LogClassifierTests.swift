import Testing

@testable import ScaleAgent

/// Every message form the classifiers know, and look-alikes they must not take.
@Suite struct LogClassifierTests {
    static let kernelForms: [(String, KernelOOMMessage?)] = [
        // Linux 5.1+: the machine ran out.
        (
            "Out of memory: Killed process 4711 (postgres) total-vm:4194304kB, anon-rss:3145728kB, file-rss:1024kB, shmem-rss:2048kB, UID:108 pgtables:6400kB oom_score_adj:0",
            .killed(KernelOOMMessage.KilledProcess(pid: 4711, process: "postgres", scope: .system, rssBytes: (3_145_728 + 1024 + 2048) * 1024))
        ),
        // A cgroup's limit.
        (
            "Memory cgroup out of memory: Killed process 812 (stress-ng-vm) total-vm:262244kB, anon-rss:130816kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:300kB oom_score_adj:1000",
            .killed(KernelOOMMessage.KilledProcess(pid: 812, process: "stress-ng-vm", scope: .cgroup, rssBytes: (130_816 + 4) * 1024))
        ),
        // Before 5.1 the kill line stood alone, after "Kill process … or sacrifice child".
        (
            "Killed process 2592 (mysqld) total-vm:2450552kB, anon-rss:1397404kB, file-rss:0kB, shmem-rss:0kB",
            .killed(KernelOOMMessage.KilledProcess(pid: 2592, process: "mysqld", scope: .unspecified, rssBytes: 1_397_404 * 1024))
        ),
        // 4.x without shmem-rss.
        (
            "Killed process 2592 (java) total-vm:2450552kB, anon-rss:1000kB, file-rss:24kB",
            .killed(KernelOOMMessage.KilledProcess(pid: 2592, process: "java", scope: .unspecified, rssBytes: 1024 * 1024))
        ),
        // oom_kill_allocating_task names itself in the prefix.
        (
            "Out of memory (oom_kill_allocating_task): Killed process 31 (php-fpm) total-vm:1kB, anon-rss:2kB, file-rss:0kB, shmem-rss:0kB, UID:33",
            .killed(KernelOOMMessage.KilledProcess(pid: 31, process: "php-fpm", scope: .system, rssBytes: 2048))
        ),
        // Command names with spaces and parentheses.
        (
            "Out of memory: Killed process 99 (Web Content) total-vm:10kB, anon-rss:8kB, file-rss:0kB, shmem-rss:0kB, UID:1000",
            .killed(KernelOOMMessage.KilledProcess(pid: 99, process: "Web Content", scope: .system, rssBytes: 8192))
        ),
        (
            "Out of memory: Killed process 7 (a) b) total-vm:10kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0",
            .killed(KernelOOMMessage.KilledProcess(pid: 7, process: "a) b", scope: .system, rssBytes: 1024))
        ),
        ("Out of memory: Killed process 77 (sd-pam)", .killed(KernelOOMMessage.KilledProcess(pid: 77, process: "sd-pam", scope: .system, rssBytes: nil))),
        // The summary line (4.19+), cgroup limit and global.
        (
            "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/app.service,task_memcg=/system.slice/app.service,task=app,pid=812,uid=0",
            .summary(.init(pid: 812, process: "app", cgroup: "/system.slice/app.service", constraint: "CONSTRAINT_MEMCG"))
        ),
        (
            "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/postgresql@15-main.service,task=postgres,pid=4711,uid=108",
            .summary(
                .init(pid: 4711, process: "postgres", cgroup: "/system.slice/postgresql@15-main.service", constraint: "CONSTRAINT_NONE"))
        ),
        (
            "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=odd,name,pid=5,uid=0",
            .summary(.init(pid: 5, process: "odd,name", cgroup: "/", constraint: "CONSTRAINT_NONE"))
        ),
        // Before 4.19: the victim's cgroup on a line of its own.
        ("Task in /docker/4f2a killed as a result of limit of /docker/4f2a", .taskInCgroup("/docker/4f2a")),
        // Look-alikes.
        ("Out of memory: Kill process 2592 (mysqld) score 926 or sacrifice child", nil),
        ("Memory cgroup out of memory: Kill process 812 (app) score 1000 or sacrifice child", nil),
        ("oom_reaper: reaped process 4711 (postgres), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB", nil),
        ("postgres invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0", nil),
        ("someone said: Killed process 1 (init)", nil),
        ("Killed process abc (x)", nil),
        ("Killed process 12", nil),
        ("oom-kill:constraint=CONSTRAINT_NONE,task=x", nil),
        ("Task in  killed as a result of limit of /", nil),
        ("", nil),
    ]

    @Test(arguments: kernelForms)
    func kernelOOMForms(message: String, expected: KernelOOMMessage?) {
        #expect(KernelOOMMessage.parse(message) == expected)
    }

    static let oomdForms: [(String, OomdKillMessage?)] = [
        (
            "Killed /system.slice/app.service due to memory pressure for /system.slice being 62.47% > 50.00% for > 20s with reclaim activity",
            OomdKillMessage(cgroup: "/system.slice/app.service", reason: .memoryPressure)
        ),
        (
            "Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox-1234.scope due to memory used (16260780032) / total (16419115008) and swap used (29560922112) / total (32838500352) being more than 90.00%",
            OomdKillMessage(cgroup: "/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox-1234.scope", reason: .swap)
        ),
        (
            "Killed /system.slice/batch.service due to swap used (8589910016) / total (8589930496) being more than 90.00%",
            OomdKillMessage(cgroup: "/system.slice/batch.service", reason: .swap)
        ),
        (
            "Marked /system.slice/docker-85218894.scope for killing due to memory used (60776927232) / total (66940563456) and swap used (61069553664) / total (67830013952) being more than 90.00%",
            OomdKillMessage(cgroup: "/system.slice/docker-85218894.scope", reason: .swap)
        ),
        (
            "Marked /system.slice/app.service for killing due to memory pressure for /system.slice being 70.00% > 50.00% for > 20s with reclaim activity",
            OomdKillMessage(cgroup: "/system.slice/app.service", reason: .memoryPressure)
        ),
        ("Considered 21 cgroups for killing, top candidates were:", nil),
        ("app.service: systemd-oomd killed 12 process(es) in this unit.", nil),
        ("Killed /x because it felt like it", nil),
        ("Killed process 1 (x)", nil),
    ]

    @Test(arguments: oomdForms)
    func oomdForm(message: String, expected: OomdKillMessage?) {
        #expect(OomdKillMessage.parse(message) == expected)
    }

    @Test func oomdVictimUnitIsTheLastPathComponent() {
        #expect(OomdKillMessage(cgroup: "/system.slice/app.service", reason: .swap).unit == "app.service")
    }

    static let unitForms: [(String, String?, UnitMessage?)] = [
        ("app.service: Failed with result 'exit-code'.", "app.service", .failed(unit: "app.service", result: "exit-code")),
        ("postgresql@15-main.service: Failed with result 'oom-kill'.", nil, .failed(unit: "postgresql@15-main.service", result: "oom-kill")),
        ("var-lib.mount: Failed with result 'timeout'.", nil, .failed(unit: "var-lib.mount", result: "timeout")),
        // Without journald, PID 1 writes to /dev/kmsg with a syslog-style prefix.
        ("systemd[1]: nginx.service: Failed with result 'signal'.", nil, .failed(unit: "nginx.service", result: "signal")),
        // No unit prefix: the entry's UNIT= field names it.
        ("Failed with result 'start-limit-hit'.", "app.service", .failed(unit: "app.service", result: "start-limit-hit")),
        ("Failed with result 'exit-code'.", nil, nil),
        ("Failed with result 'exit-code'.", "not a unit", nil),
        ("app.service: Failed with result ''.", nil, nil),
        (
            "app.service: Main process exited, code=killed, status=9/KILL", nil,
            .mainProcessExited(unit: "app.service", code: "killed", status: "9/KILL")
        ),
        (
            "app.service: Main process exited, code=exited, status=1/FAILURE", nil,
            .mainProcessExited(unit: "app.service", code: "exited", status: "1/FAILURE")
        ),
        (
            "app.service: Main process exited, code=dumped, status=11/SEGV", nil,
            .mainProcessExited(unit: "app.service", code: "dumped", status: "11/SEGV")
        ),
        // systemd before 236.
        (
            "app.service: main process exited, code=exited, status=203/EXEC", nil,
            .mainProcessExited(unit: "app.service", code: "exited", status: "203/EXEC")
        ),
        ("app.service: Main process exited, code=exited", nil, nil),
        (
            "app.service: Scheduled restart job, restart counter is at 3.", nil,
            .restartScheduled(unit: "app.service", counter: 3)
        ),
        ("Scheduled restart job, restart counter is at 12.", "worker@2.service", .restartScheduled(unit: "worker@2.service", counter: 12)),
        ("app.service: Succeeded.", nil, nil),
        ("app.service: Deactivated successfully.", nil, nil),
        ("Failed to start app.service - The app.", nil, nil),
    ]

    @Test(arguments: unitForms)
    func unitForm(message: String, field: String?, expected: UnitMessage?) {
        #expect(UnitMessage.parse(message, unitField: { field }) == expected)
    }

    static let postgresForms: [(String, PostgresLogMessage.Kind?)] = [
        ("2024-05-01 10:00:00.123 UTC [4711] app@shop FATAL:  sorry, too many clients already", .tooManyClients),
        (
            "2024-05-01 10:00:00.123 UTC [4712] app@shop FATAL:  remaining connection slots are reserved for non-replication superuser connections",
            .reservedConnectionSlots
        ),
        (
            "2024-05-01 10:00:00.123 UTC [4712] app@shop FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute",
            .reservedConnectionSlots
        ),
        ("2024-05-01 10:00:01.000 UTC [4713] app@shop ERROR:  deadlock detected", .deadlock),
        (
            "2024-05-01 10:00:02.000 UTC [4714] app@shop WARNING:  terminating connection because of crash of another server process",
            .crashOfAnotherProcess
        ),
        ("2024-05-01 10:00:02.000 UTC [100] LOG:  server process (PID 4711) was terminated by signal 9: Killed", .terminatedBySignal),
        ("2024-05-01 10:00:02.000 UTC [100] LOG:  client backend (PID 4711) was terminated by signal 9: Killed", .terminatedBySignal),
        ("2024-05-01 10:00:03.000 UTC [100] LOG:  could not fork new process for connection: Cannot allocate memory", .couldNotFork),
        ("2024-05-01 10:00:03.000 UTC [100] LOG:  could not fork autovacuum worker process: Resource temporarily unavailable", .couldNotFork),
        ("2024-05-01 10:00:04.000 UTC [4715] app@shop ERROR:  out of memory", .outOfMemory),
        ("2024-05-01 10:00:05.000 UTC [4716] app@shop ERROR:  canceling statement due to statement timeout", .statementTimeout),
        ("2024-05-01 10:00:05.000 UTC [4716] app@shop ERROR:  canceling statement due to lock timeout", .lockTimeout),
        ("2024-05-01 10:00:06.000 UTC [4717] PANIC:  could not fork new process: x", .couldNotFork),
        // Through syslog into the journal: "[line-part]" prefix.
        ("[5-1] FATAL:  sorry, too many clients already", .tooManyClients),
        ("FATAL:  deadlock detected", .deadlock),
        // Look-alikes.
        ("2024-05-01 10:00:00.123 UTC [4711] app@shop STATEMENT:  select 'deadlock detected'", nil),
        ("2024-05-01 10:00:00.123 UTC [4711] app@shop LOG:  statement: select 1 -- ERROR:  deadlock detected", nil),
        (
            "2024-05-01 10:00:01.000 UTC [4713] app@shop DETAIL:  Process 4713 waits for ShareLock on transaction 1234; blocked by process 4714.",
            nil
        ),
        ("2024-05-01 10:00:00.123 UTC [100] LOG:  checkpoint starting: time", nil),
        ("2024-05-01 10:00:00.123 UTC [100] LOG:  background worker \"logical replication launcher\" (PID 9) exited with exit code 1", nil),
        ("2024-05-01 10:00:00.123 UTC [4711] app@shop ERROR:  relation \"users\" does not exist", nil),
        ("deadlock detected", nil),
        ("myapp ERROR: deadlock detected", nil),
        ("sorry, too many clients already", nil),
    ]

    @Test(arguments: postgresForms)
    func postgresForm(line: String, expected: PostgresLogMessage.Kind?) {
        #expect(PostgresLogMessage.classify(line) == expected)
    }

    /// PostgreSQL 15's csvlog and jsonlog lines, as a real server wrote them (scripts/postgres_test.py
    /// checks the same against a live server), and look-alikes.
    static let postgresFileForms: [(String, PostgresLogMessage.Kind?)] = [
        (
            #"2026-11-29 11:05:01.204 UTC,"app","shop",4711,"127.0.0.1:41234",6749a1bd.1267,1,"startup",2026-11-29 11:05:01 UTC,,0,FATAL,53300,"sorry, too many clients already",,,,,,,,,"","client backend",,0"#,
            .tooManyClients
        ),
        (
            #"2026-11-29 11:05:02.001 UTC,"app","shop",4712,"127.0.0.1:41236",6749a1be.1268,3,"UPDATE",2026-11-29 11:05:01 UTC,4/12,741,ERROR,40P01,"deadlock detected","Process 4712 waits for ShareLock on transaction 740; blocked by process 4713.","See server log for query details.",,,"while updating tuple (0,1) in relation ""accounts""","UPDATE accounts SET v = v + 1 WHERE id = 11",,,"","client backend",,0"#,
            .deadlock
        ),
        (
            #"2026-11-29 11:05:03.000 UTC,,,100,,6749a1a0.64,5,,2026-11-29 11:04:32 UTC,,0,LOG,00000,"server process (PID 4714) was terminated by signal 9: Killed","Failed process was running: SELECT 1",,,,,,,,"","postmaster",,0"#,
            .terminatedBySignal
        ),
        (
            #"{"timestamp":"2026-11-29 11:05:01.204 UTC","user":"app","dbname":"shop","pid":4711,"remote_host":"127.0.0.1","remote_port":41234,"session_id":"6749a1bd.1267","line_num":1,"ps":"startup","session_start":"2026-11-29 11:05:01 UTC","txid":0,"error_severity":"FATAL","state_code":"53300","message":"sorry, too many clients already","backend_type":"client backend","query_id":0}"#,
            .tooManyClients
        ),
        (
            #"{"timestamp":"2026-11-29 11:05:04.000 UTC","user":"app","dbname":"shop","pid":4715,"error_severity":"ERROR","state_code":"57014","message":"canceling statement due to statement timeout","statement":"SELECT pg_sleep(1)","backend_type":"client backend","query_id":0}"#,
            .statementTimeout
        ),
        // A quoted field before the severity that looks like one.
        (
            #"2026-11-29 11:05:01.204 UTC,"ev,LOG,12345,""il","shop",4711,"127.0.0.1:41234",6749a1bd.1267,1,"startup",2026-11-29 11:05:01 UTC,,0,FATAL,53300,"sorry, too many clients already",,,,,,,,,"","client backend",,0"#,
            .tooManyClients
        ),
        // The stderr form still works through the same entry point.
        ("2024-05-01 10:00:00.123 UTC [4711] app@shop FATAL:  sorry, too many clients already", .tooManyClients),
        // Look-alikes: the phrase inside a quoted CSV field or a JSON value, or after another severity.
        (
            #"2026-11-29 11:05:05.000 UTC,"app","shop",4716,"127.0.0.1:41240",6749a1c1.126c,2,"SELECT",2026-11-29 11:05:04 UTC,5/2,0,LOG,00000,"statement: select ',FATAL,53300,""sorry, too many clients already'",,,,,,,,,"psql","client backend",,0"#,
            nil
        ),
        (
            #"{"timestamp":"2026-11-29 11:05:05.000 UTC","user":"app","dbname":"shop","pid":4716,"error_severity":"LOG","state_code":"00000","message":"statement: select '","message":"deadlock detected'","backend_type":"client backend","query_id":0}"#,
            nil
        ),
        (
            #"{"timestamp":"2026-11-29 11:05:05.000 UTC","user":"app","dbname":"shop","pid":4716,"error_severity":"DETAIL","message":"deadlock detected"}"#,
            nil
        ),
        (#"2026-11-29 11:05:05.000 UTC,"app","shop",4716,,x,2,,,,0,FATAL,5330,"sorry, too many clients already""#, nil),
        ("{}", nil),
        ("", nil),
    ]

    @Test(arguments: postgresFileForms)
    func postgresFileForm(line: String, expected: PostgresLogMessage.Kind?) {
        #expect(PostgresLogMessage.classifyFileLine(line) == expected)
    }

    @Test func classifyDispatchesToEachClassifier() {
        #expect(LogLineEvent.classify("Out of memory: Killed process 1 (x)") == .kernelOOM(.killed(KernelOOMMessage.KilledProcess(pid: 1, process: "x", scope: .system, rssBytes: nil))))
        #expect(LogLineEvent.classify("Killed /a.service due to swap used (1) / total (2) being more than 90.00%") == .oomdKill(.init(cgroup: "/a.service", reason: .swap)))
        #expect(LogLineEvent.classify("a.service: Failed with result 'exit-code'.") == .unit(.failed(unit: "a.service", result: "exit-code")))
        #expect(LogLineEvent.classify("x FATAL:  sorry, too many clients already") == .postgres(.tooManyClients))
        #expect(LogLineEvent.classify("Started Session 4 of User root.") == nil)
    }

    @Test func textSearchFindsAnchorsInSubstrings() {
        let text = "abc Killed process 12 (x) Killed process 13"[...]
        let first = LogText.find("Killed process ", in: text)
        #expect(first.map { text[$0] } == "Killed process ")
        let last = LogText.findLast("Killed process ", in: text)
        #expect(last.map { String(text[$0.upperBound...]) } == "13")
        #expect(LogText.find("nothing", in: text) == nil)
        #expect(LogText.find("", in: text) == nil)
        #expect(LogText.leadingInteger("18446744073709551616") == nil)
        #expect(LogText.leadingInteger("42x")?.value == 42)
    }
}
