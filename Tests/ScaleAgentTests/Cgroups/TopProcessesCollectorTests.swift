import MetricStore
import NIOConcurrencyHelpers
import Testing

@testable import ScaleAgent

#if canImport(Glibc)
import Glibc
#endif

@Suite struct TopProcessesCollectorTests {
    static let postgres = "postgresql@15-main.service"

    @Test func groupsByCommandAndUnitLargestFirst() throws {
        let processes = try TopProcessesCollector(paths: CgroupFixtures.tree("cgroup-v2"), count: 5, pageSize: 4096).processes()
        let ranked = ProcessGroup.rank(processes)
        func group(_ comm: String, _ unit: String?, _ pages: UInt64, _ count: Int, _ largest: Int, _ largestPages: UInt64) -> ProcessGroup {
            ProcessGroup(
                key: .init(comm: comm, unit: unit), residentBytes: pages * 4096, count: count, largestPID: largest,
                largestResidentBytes: largestPages * 4096)
        }
        #expect(
            ranked == [
                group("postgres", Self.postgres, 590_000, 2, 800, 310_000),
                group("python3", "app.service", 124_000, 1, 950, 124_000),
                // nginx's two workers: 412 with 2500 pages and 413 with 4100.
                group("nginx", "nginx.service", 6600, 2, 413, 4100),
                group("tmux: \"server\"", "tmux-spawn-1.scope", 4100, 1, 1300, 4100),
                group("systemd", "init.scope", 3100, 1, 1, 3100),
                group("agent", "scalewatch.service", 2200, 1, 1400, 2200),
                group("bash", "session-2.scope", 1300, 1, 1200, 1300),
            ])
        // Kernel threads (no resident memory), a process that exited while /proc was walked
        // (1500) and entries that are no process are left out.
        #expect(!processes.contains { [2, 1500].contains($0.pid) })
    }

    @Test(arguments: [
        // equal totals: by command, then by unit; equal sizes within a group: the lower pid
        ([(7, 10, "b", "x.service"), (8, 10, "a", "y.service"), (9, 10, "a", "x.service")], ["a x.service", "a y.service", "b x.service"], [9, 8, 7]),
        ([(30, 5, "w", "u.service"), (20, 5, "w", "u.service"), (25, 4, "w", "u.service")], ["w u.service"], [20]),
        ([(1, 1, "w", nil), (2, 3, "w", "u.service")], ["w u.service", "w -"], [2, 1]),
    ] as [([(Int, UInt64, String, String?)], [String], [Int])])
    func rankingIsStable(_ processes: [(Int, UInt64, String, String?)], _ order: [String], _ largest: [Int]) {
        let ranked = ProcessGroup.rank(processes.map { .init(pid: $0.0, residentBytes: $0.1, comm: $0.2, unit: $0.3) })
        #expect(ranked.map { $0.key.comm + " " + ($0.key.unit ?? "-") } == order)
        #expect(ranked.map(\.largestPID) == largest)
    }

    @Test func aProcessMovedIntoAMemoryGroupByHandGetsThatUnit() throws {
        let processes = try TopProcessesCollector(paths: CgroupFixtures.tree("cgroup-v1"), count: 2, pageSize: 4096).processes()
        #expect(processes.first { $0.pid == 4242 }?.unit == "oomtest.service")
    }

    @Test func reportsBoundedFamiliesWithoutAPidLabel() throws {
        var builder = MetricsBuilder()
        try TopProcessesCollector(paths: CgroupFixtures.tree("cgroup-v2"), count: 3, pageSize: 4096).collect(into: &builder)
        let families = builder.build()
        #expect(
            families.map(\.name).sorted() == [
                "scalewatch_process_group_cpu_seconds_total", "scalewatch_process_group_largest_pid", "scalewatch_process_group_largest_resident_memory_bytes",
                "scalewatch_process_group_processes", "scalewatch_process_group_resident_memory_bytes",
                "scalewatch_process_groups_refused",
            ])
        #expect(families.allSatisfy { $0.type == ($0.name.hasSuffix("_total") ? .counter : .gauge) })
        // 800's 120000 + 45000 and 801's 3000 + 1000 clock ticks.
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        #expect(families.serviceValue("scalewatch_process_group_cpu_seconds_total", ["comm": "postgres", "unit": Self.postgres]) == 169_000 / ticks)
        let labels = Labels(["comm": "postgres", "unit": Self.postgres])
        #expect(families.serviceValue("scalewatch_process_group_resident_memory_bytes", ["comm": "postgres", "unit": Self.postgres]) == Double(590_000 * 4096))
        #expect(families.serviceValue("scalewatch_process_group_processes", ["comm": "postgres", "unit": Self.postgres]) == 2)
        #expect(families.serviceValue("scalewatch_process_group_largest_pid", ["comm": "postgres", "unit": Self.postgres]) == 800)
        #expect(families.serviceValue("scalewatch_process_groups_refused") == 0)
        for family in families where family.name != "scalewatch_process_groups_refused" {
            #expect(family.samples.count == 3, "\(family.name)")
            #expect(family.samples.contains { $0.labels == labels }, "\(family.name)")
        }
    }

    @Test func aProcessOutsideAnyUnitHasNoUnitLabel() throws {
        let tree = ScratchTree()
        tree.write("7/stat", Self.stat(7, "worker", cpu: 0, start: 1))
        tree.write("7/cgroup", "4:memory:/process_api/abc\n0::/\n")
        var builder = MetricsBuilder()
        try TopProcessesCollector(paths: HostPaths(procfs: tree.root), count: 10, pageSize: 4096).collect(into: &builder)
        let resident = builder.build().first { $0.name == "scalewatch_process_group_resident_memory_bytes" }
        #expect(resident?.samples.first?.labels == Labels(["comm": "worker"]))
    }

    /// A process's unit is read once and trusted for a minute; a process moved to another
    /// group is seen under its new unit after that, and a pid reused by a new process at once.
    @Test func unitsAreReadForNewProcessesAndAgainAfterAMinute() throws {
        let tree = ScratchTree()
        tree.write("7/stat", Self.stat(7, "worker", cpu: 0, start: 1))
        tree.write("7/cgroup", "0::/system.slice/a.service\n")
        let collector = TopProcessesCollector(paths: HostPaths(procfs: tree.root), count: 10, pageSize: 4096)
        var caches = TopProcessesCollector.Caches()
        func unit(at seconds: Int64) throws -> String?? {
            try collector.processes(caches: &caches, now: .seconds(seconds)).first.map(\.unit)
        }
        #expect(try unit(at: 0) == "a.service")
        tree.write("7/cgroup", "0::/system.slice/b.service\n")
        #expect(try unit(at: 59) == "a.service")
        #expect(try unit(at: 60) == "b.service")
        // The same pid, another process (a later start time): read at once.
        tree.write("7/stat", Self.stat(7, "worker", cpu: 0, start: 2))
        tree.write("7/cgroup", "0::/system.slice/c.service\n")
        #expect(try unit(at: 61) == "c.service")
        // Exited processes are forgotten.
        unlink(tree.root + "/7/stat")
        #expect(try collector.processes(caches: &caches, now: .seconds(62)).isEmpty)
        #expect(caches.units.count == 0)
    }

    /// Short-lived processes under new pids every round — a cron job's children, PHP-FPM's
    /// recycled workers, Postgres backends per connection — and, worse, a new unit every
    /// round (a scope per login): the series stay bounded by 2 × count groups per hour.
    @Test func pidChurnMakesNoNewSeries() throws {
        let tree = ScratchTree()
        let clock = ManualClock()
        let collector = TopProcessesCollector(paths: HostPaths(procfs: tree.root), count: 3, pageSize: 4096, clock: clock.now)
        var series: Set<String> = []
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        var nextPID = 1000
        func spawn(_ comm: String, _ unit: String, pages: Int) -> String {
            nextPID += 1
            let pid = String(nextPID)
            // Each process has used 2 clock ticks when it is seen.
            tree.write(pid + "/stat", Self.stat(nextPID, comm, cpu: 2, start: UInt64(nextPID), pages: pages))
            tree.write(pid + "/cgroup", "0::/system.slice/\(unit)\n")
            return pid
        }
        var alive: [String] = []
        func round(_ processes: [(String, String, Int)]) throws -> [MetricFamily] {
            for pid in alive {
                for file in ["stat", "cgroup"] { unlink(tree.root + "/" + pid + "/" + file) }
                rmdir(tree.root + "/" + pid)
            }
            alive = processes.map { spawn($0.0, $0.1, pages: $0.2) }
            var builder = MetricsBuilder()
            try collector.collect(into: &builder)
            clock.advance(.seconds(10))
            let families = builder.build()
            for family in families {
                for sample in family.samples { series.insert(family.name + "\(sample.labels)") }
            }
            return families
        }
        // 359 rounds of 10 s, just under an hour: every round 8 php-fpm and 3 postgres
        // processes under new pids, a cron job, and the shell of an ever new login session.
        for index in 0..<359 {
            var processes = (0..<8).map { _ in ("php-fpm", "php-fpm.service", 300 + index % 7) }
            processes += (0..<3).map { _ in ("postgres", "postgresql.service", 900) }
            processes.append(("backup.sh", "cron.service", 50))
            processes.append(("bash", "session-\(index).scope", 10_000))
            let families = try round(processes)
            #expect(families.serviceValue("scalewatch_process_group_processes", ["comm": "php-fpm", "unit": "php-fpm.service"]) == 8)
            // The group's CPU counter grows by what its new processes used, though every
            // process of the last round has exited.
            let cpu = families.serviceValue("scalewatch_process_group_cpu_seconds_total", ["comm": "php-fpm", "unit": "php-fpm.service"])
            #expect(cpu == Double((index + 1) * 8 * 2) / ticksPerSecond)
        }
        // 4,667 pids in the hour. Groups: php-fpm, postgres and the first four of the 359 session
        // scopes (backup.sh never ranked in the top 3): 2 × 3 groups, each in 5 families, and
        // the refusal gauge.
        #expect(series.count == 2 * 3 * 5 + 1)
        #expect(!series.contains { $0.contains("pid=") })
        // Once the budget is spent the new sessions are refused and the known groups fill the top.
        let last = try round([("bash", "session-x.scope", 10_000), ("postgres", "postgresql.service", 500)])
        #expect(last.serviceValue("scalewatch_process_groups_refused") == 1)
        #expect(last.serviceValue("scalewatch_process_group_processes", ["comm": "postgres", "unit": "postgresql.service"]) == 1)
        // An hour after they were last reported, groups make room for new ones again.
        clock.advance(.seconds(3600))
        let later = try round([("bash", "session-y.scope", 10_000)])
        #expect(later.serviceValue("scalewatch_process_groups_refused") == 0)
        #expect(later.serviceValue("scalewatch_process_group_processes", ["comm": "bash", "unit": "session-y.scope"]) == 1)
    }

    @Test func groupCPUOnlyGrows() {
        var cpu = ProcessGroupCPU()
        let a = ProcessGroup.Key(comm: "a", unit: "a.service")
        let b = ProcessGroup.Key(comm: "b", unit: nil)
        typealias Sample = ProcessGroupCPU.Sample
        // First sight: what the processes used since they started.
        cpu.update([Sample(pid: 1, startTicks: 10, cpuTicks: 100, key: a), Sample(pid: 2, startTicks: 11, cpuTicks: 5, key: a)])
        #expect(cpu.totals == [a: 105])
        // pid 2 exits, pid 3 starts: 1 used 20 more, 3 used 7 since it started.
        cpu.update([Sample(pid: 1, startTicks: 10, cpuTicks: 120, key: a), Sample(pid: 3, startTicks: 50, cpuTicks: 7, key: a)])
        #expect(cpu.totals == [a: 132])
        // pid 3 is reused by another process (another start time); pid 1 renamed itself to b:
        // its new use goes to b; a reading below the last (impossible, but no wrap) adds 0.
        cpu.update([
            Sample(pid: 1, startTicks: 10, cpuTicks: 125, key: b), Sample(pid: 3, startTicks: 90, cpuTicks: 4, key: a),
        ])
        #expect(cpu.totals == [a: 136, b: 5])
        cpu.update([Sample(pid: 1, startTicks: 10, cpuTicks: 1, key: b)])
        #expect(cpu.totals == [b: 5])
        // a had no process: forgotten, and starts again from what is new.
        cpu.update([Sample(pid: 9, startTicks: 200, cpuTicks: 3, key: a)])
        #expect(cpu.totals == [a: 3])
    }

    @Test func admissionKeepsAnyWindowWithinTheLimit() {
        var admission = ProcessGroupAdmission(limit: 2, window: .seconds(60))
        func groups(_ names: [String]) -> [ProcessGroup] { names.map { ProcessGroup(key: .init(comm: $0, unit: nil)) } }
        func kept(_ names: [String], at seconds: Int64, count: Int = 2) -> ([String], Int) {
            let (kept, refused) = admission.admit(groups(names), count: count, now: .seconds(seconds))
            return (kept.map(\.key.comm), refused)
        }
        #expect(kept(["a", "b", "c"], at: 0) == (["a", "b"], 0))
        // c outranks b now but the window already holds a and b.
        #expect(kept(["c", "a", "b"], at: 30) == (["a", "b"], 1))
        // a reported at 30 is known until 90; b likewise.
        #expect(kept(["c", "d"], at: 89) == ([], 2))
        #expect(kept(["c", "d", "a"], at: 90) == (["c", "d"], 0))
        #expect(admission.lastReported.count == 2)
        // count below the limit: only count are taken, the rest are neither kept nor refused.
        #expect(kept(["c", "d"], at: 91, count: 1) == (["c"], 0))
    }

    /// A /proc/PID/stat line as the kernel writes it, with utime and stime adding up to `cpu`.
    static func stat(_ pid: Int, _ comm: String, cpu: UInt64, start: UInt64, pages: Int = 50) -> String {
        "\(pid) (\(comm)) S 1 \(pid) \(pid) 0 -1 4194560 100 0 0 0 \(cpu / 2) \(cpu - cpu / 2) 0 0 20 0 1 0 \(start) 9000 \(pages) "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n"
    }

    /// statm tells kernel threads without generating their stat, which is four times the
    /// kernel's work; a process with memory is read from stat as before, and one without statm too.
    @Test func statmLeavesKernelThreadsOutBeforeTheirStatIsRead() throws {
        let tree = ScratchTree()
        tree.write("5/statm", "0 0 0 0 0 0 0\n")
        tree.write("5/stat", "not read\n")
        tree.write("6/statm", "9000 50 10 1 0 40 0\n")
        tree.write("6/stat", Self.stat(6, "worker", cpu: 0, start: 1))
        tree.write("6/cgroup", "0::/system.slice/a.service\n")
        tree.write("7/stat", Self.stat(7, "older", cpu: 0, start: 1))
        tree.write("7/cgroup", "0::/system.slice/a.service\n")
        let processes = try TopProcessesCollector(paths: HostPaths(procfs: tree.root), count: 10, pageSize: 4096).processes()
        #expect(processes.map(\.pid).sorted() == [6, 7])
    }

    /// A kernel thread's statm is read once and not again for a minute; a pid whose /proc
    /// directory is another (a new process under a reused pid) is read at once.
    @Test func kernelThreadsAreReadOnceAMinute() throws {
        let tree = ScratchTree()
        tree.write("5/statm", "0 0 0 0 0 0 0\n")
        let collector = TopProcessesCollector(paths: HostPaths(procfs: tree.root), count: 10, pageSize: 4096)
        var caches = TopProcessesCollector.Caches()
        func pids(at seconds: Int64) throws -> [Int] {
            try collector.processes(caches: &caches, now: .seconds(seconds)).map(\.pid)
        }
        #expect(try pids(at: 0) == [])
        // Were statm read again, this would now be a process with memory.
        tree.write("5/statm", "9000 50 10 1 0 40 0\n")
        tree.write("5/stat", Self.stat(5, "helper", cpu: 0, start: 1))
        tree.write("5/cgroup", "0::/system.slice/a.service\n")
        #expect(try pids(at: 59) == [])
        #expect(try pids(at: 60) == [5])

        tree.write("6/statm", "0 0 0 0 0 0 0\n")
        #expect(try pids(at: 61) == [5])
        // pid 6 again, another directory: the old one is kept aside so that its inode number
        // cannot be handed to the new one.
        tree.write("6.new/statm", "9000 50 10 1 0 40 0\n")
        tree.write("6.new/stat", Self.stat(6, "worker", cpu: 0, start: 2))
        tree.write("6.new/cgroup", "0::/system.slice/a.service\n")
        tree.move("6", "6.old")
        tree.move("6.new", "6")
        #expect(try pids(at: 62).sorted() == [5, 6])
        #expect(caches.kinds.count == 2)
        // Exited processes are forgotten.
        tree.move("6", "6.gone")
        #expect(try pids(at: 63) == [5])
        #expect(caches.kinds.count == 1)
    }

    /// A process with memory is read from stat alone after its first statm, and one swapped
    /// out whole (resident 0) is left out only while it has no resident pages.
    @Test func aProcessWithMemoryIsReadFromStatAlone() throws {
        let tree = ScratchTree()
        tree.write("7/statm", "9000 0 0 1 0 40 0\n")
        tree.write("7/stat", Self.stat(7, "idle", cpu: 0, start: 1, pages: 0))
        tree.write("7/cgroup", "0::/system.slice/a.service\n")
        let collector = TopProcessesCollector(paths: HostPaths(procfs: tree.root), count: 10, pageSize: 4096)
        var caches = TopProcessesCollector.Caches()
        #expect(try collector.processes(caches: &caches, now: .seconds(0)).isEmpty)
        tree.write("7/statm", "not read again\n")
        tree.write("7/stat", Self.stat(7, "idle", cpu: 0, start: 1, pages: 20))
        #expect(try collector.processes(caches: &caches, now: .seconds(1)).map(\.residentBytes) == [20 * 4096])
    }

    @Test(arguments: ["", "12\n", "12 x 3\n", "12 -1 3\n", "x 3\n"])
    func malformedStatmFailsWithItsPath(_ text: String) throws {
        let tree = ScratchTree()
        tree.write("7/statm", text)
        tree.write("7/stat", Self.stat(7, "x", cpu: 0, start: 1))
        let error = #expect(throws: ParseError.self) {
            try TopProcessesCollector(paths: HostPaths(procfs: tree.root), count: 1, pageSize: 4096).processes()
        }
        #expect(error?.file == tree.root + "/7/statm")
        #expect(error?.message.contains("expected page counts") == true)
    }

    @Test func malformedFilesFailWithTheirPath() throws {
        let badStat = ScratchTree()
        badStat.write("7/stat", "7 (x) S 1\n")
        let stat = #expect(throws: ParseError.self) {
            try TopProcessesCollector(paths: HostPaths(procfs: badStat.root), count: 1, pageSize: 4096).processes()
        }
        #expect(stat == ParseError(file: badStat.root + "/7/stat", line: 1, "expected at least 22 fields after the name, found 2"))
        let other = ScratchTree()
        other.write("7/stat", Self.stat(7, "x", cpu: 0, start: 1))
        other.write("7/cgroup", "garbage\n")
        let cgroup = #expect(throws: ParseError.self) {
            try TopProcessesCollector(paths: HostPaths(procfs: other.root), count: 1, pageSize: 4096).processes()
        }
        #expect(cgroup?.file == other.root + "/7/cgroup")
    }

    @Test func aMissingProcIsAnError() {
        #expect(throws: FileReadError.self) {
            try TopProcessesCollector(paths: HostPaths(procfs: "/no/such/proc"), count: 1).processes()
        }
    }

    @Test func thisHostsOwnProcessIsFound() throws {
        // On the real /proc, with the page size the system reports: this test process holds
        // memory of its own, and its group has it as a member.
        let processes = try TopProcessesCollector(paths: HostPaths(), count: 1000).processes()
        let me = try #require(processes.first { $0.pid == Int(getpid()) })
        #expect(me.residentBytes > 1 << 20)
        #expect(!me.comm.isEmpty)
        let group = try #require(ProcessGroup.rank(processes).first { $0.key == .init(comm: me.comm, unit: me.unit) })
        #expect(group.residentBytes >= me.residentBytes && group.largestResidentBytes >= me.residentBytes)
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let current = NIOLockedValueBox(Duration.zero)
    var now: @Sendable () -> Duration { { [current] in current.withLockedValue { $0 } } }
    func advance(_ by: Duration) { current.withLockedValue { $0 += by } }
}
