import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent
import TestSupport

/// The real kernel: /dev/kmsg as the agent reads it where no journald runs, and a real OOM
/// kill in a cgroup v1 memory cgroup with a small limit (never a host-wide OOM). Needs root;
/// skipped elsewhere.
@Suite(.enabled(if: KernelLogConditions.canUseKmsg, "needs root and a readable /dev/kmsg"), .serialized)
struct KernelLogTests {
    private func follower(_ directory: TestDirectory) -> LogFollower {
        LogFollower(
            name: "kmsg-test", tally: LogTally(), positionFile: LogPositionFile(path: directory.file("logs/journal.positions")),
            logger: Logger(label: "test"), pollInterval: .milliseconds(20)
        ) {
            ([KmsgLogReader(path: "/dev/kmsg", bootIDPath: "/proc/sys/kernel/random/boot_id")], "kmsg")
        }
    }

    private func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    @Test func kmsgStartsAtTheEndAndResumesAfterItsSequenceNumber() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let unit = uniqueName("scalewatch-kmsg-test") + ".service"
        // A userspace line (facility daemon) as systemd writes it without journald.
        let line = "<28>systemd[1]: \(unit): Failed with result 'exit-code'.\n"
        writeFile("/dev/kmsg", line, append: true)

        let first = follower(directory)
        first.start()
        #expect(first.waitUntilCaughtUp(timeout: .seconds(10)))
        #expect(first.snapshot().tally.unitFailures.counts[.init(unit: unit, result: "exit-code")] == nil, "a first run starts at the end")
        writeFile("/dev/kmsg", line, append: true)
        #expect(first.waitUntilCaughtUp(timeout: .seconds(10)))
        let seen = first.snapshot()
        #expect(seen.error == nil)
        #expect(seen.tally.unitFailures.counts[.init(unit: unit, result: "exit-code")] == 1)
        first.requestStop()
        #expect(first.waitUntilStopped(timeout: .seconds(10)))

        writeFile("/dev/kmsg", line, append: true)
        let second = follower(directory)
        second.start()
        #expect(second.waitUntilCaughtUp(timeout: .seconds(10)))
        #expect(second.snapshot().tally.unitFailures.counts[.init(unit: unit, result: "exit-code")] == 1, "only the line written while down")
        second.requestStop()
        #expect(second.waitUntilStopped(timeout: .seconds(10)))
    }

    @Test(.enabled(if: KernelLogConditions.canMakeMemoryCgroups, "needs a writable cgroup v1 memory controller"))
    func aRealOOMKillInAMemoryCgroupIsCountedWithItsVictim() throws {
        let directory = TestDirectory(prefix: "scalewatch-journal")
        defer { directory.remove() }
        let name = uniqueName("scalewatch-oom-test")
        let cgroup = "/sys/fs/cgroup/memory/" + name
        #expect(mkdir(cgroup, 0o755) == 0)
        defer { rmdir(cgroup) }
        writeFile(cgroup + "/memory.limit_in_bytes", "\(32 << 20)\n", append: true)
        let vmstatBefore = oomKillCount()

        let reader = follower(directory)
        reader.start()
        defer {
            reader.requestStop()
            reader.waitUntilStopped(timeout: .seconds(10))
        }
        #expect(reader.waitUntilCaughtUp(timeout: .seconds(10)))
        // The shell joins the cgroup, then becomes a Python that wants 256 MiB of a 32 MiB limit.
        let status = runProcess([
            "/bin/sh", "-c", "echo $$ > \(cgroup)/cgroup.procs && exec python3 -c 'a = bytearray(256 << 20); print(len(a))'",
        ])
        #expect(status == 128 + SIGKILL, "the allocation must have been killed")
        var victim: OOMVictim?
        for _ in 0..<500 where victim?.cgroup != "/" + name {
            reader.waitUntilCaughtUp(timeout: .seconds(1))
            victim = reader.snapshot().tally.lastOOMVictim
        }
        let tally = reader.snapshot().tally
        #expect(tally.oomKills.counts[.init(process: "python3", cgroup: "/" + name, killer: "kernel")] == 1)
        #expect(victim?.process == "python3")
        #expect(victim?.cgroup == "/" + name)
        #expect((victim?.rssBytes ?? 0) > 16 << 20)
        let event = tally.recent.events.last { $0.kind == .oomKill }
        #expect(event?.details["scope"] == "cgroup")
        #expect(oomKillCount() > vmstatBefore, "node_vmstat_oom_kill moved too")
    }

    private func oomKillCount() -> Int {
        let text = (try? FileReading.string(atPath: "/proc/vmstat")) ?? ""
        return text.split(separator: "\n").first { $0.hasPrefix("oom_kill ") }.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
    }
}

enum KernelLogConditions {
    static var canUseKmsg: Bool {
        geteuid() == 0 && access("/dev/kmsg", R_OK | W_OK) == 0 && access("/proc/sys/kernel/random/boot_id", R_OK) == 0
    }

    static var canMakeMemoryCgroups: Bool {
        canUseKmsg && access("/sys/fs/cgroup/memory/cgroup.procs", W_OK) == 0
            && access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0
    }
}
