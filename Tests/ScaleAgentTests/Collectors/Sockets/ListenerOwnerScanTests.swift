#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
@testable import ScaleAgent

/// The descriptor scan on fixture /proc and /sys trees (descriptor links are symlinks whose
/// text is what the kernel shows), then on the live /proc with a socket of this process.
@Suite struct ListenerOwnerScanTests {
    /// A /proc/PID/stat line with the fields the scan reads (comm, utime, stime, starttime).
    static func statLine(_ pid: Int, _ comm: String, start: UInt64) -> String {
        "\(pid) (\(comm)) S 1 \(pid) \(pid) 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 \(start) 1000 100 0\n"
    }

    final class Tree {
        let directory = TestDirectory(prefix: "listener-owner-scan")
        var proc: String { directory.file("proc") }
        var sys: String { directory.file("sys") }
        var paths: HostPaths { HostPaths(procfs: proc, sysfs: sys) }

        func process(_ pid: Int, comm: String, start: UInt64 = 50, cgroup: String? = "0::/\n", links: [String]) throws {
            try directory.write("proc/\(pid)/stat", ListenerOwnerScanTests.statLine(pid, comm, start: start))
            if let cgroup { try directory.write("proc/\(pid)/cgroup", cgroup) }
            mkdir(directory.file("proc/\(pid)/fd"), 0o755)
            for (fd, link) in links.enumerated() {
                #expect(symlink(link, directory.file("proc/\(pid)/fd/\(fd)")) == 0)
            }
        }

        deinit { directory.remove() }
    }

    @Test func findsTheLowestPidHoldingEachWantedSocketWithItsUnit() throws {
        let tree = Tree()
        try tree.process(1, comm: "systemd", links: ["/dev/null", "socket:[5]"])
        // nginx's master and worker both hold the listener.
        try tree.process(
            120, comm: "nginx", start: 700, cgroup: "1:name=systemd:/system.slice/nginx.service\n0::/system.slice/nginx.service\n",
            links: ["/dev/null", "pipe:[3]", "socket:[4242]"])
        try tree.process(121, comm: "nginx", cgroup: "0::/system.slice/nginx.service\n", links: ["socket:[4242]", "socket:[77]"])
        try tree.process(300, comm: "postgres", cgroup: "0::/system.slice/system-postgresql.slice/postgresql@15-main.service\n", links: ["socket:[9000]"])
        try tree.directory.write("proc/self/stat", "not a process directory")
        let result = try ListenerOwnerScan(paths: tree.paths).run(wanted: [4242, 9000])
        #expect(result.complete)
        #expect(result.found[4242] == ListenerOwner(
            pid: 120, process: "nginx", startTicks: 700, unit: "nginx.service",
            unitCgroup: .init(hierarchy: .unified, path: "/system.slice/nginx.service")))
        #expect(result.found[9000]?.unit == "postgresql@15-main.service")
        #expect(result.found[9000]?.process == "postgres")
        #expect(result.found.count == 2)
    }

    @Test func stopsOnceAllAreFound() throws {
        let tree = Tree()
        try tree.process(10, comm: "a", links: ["socket:[1]"])
        try tree.process(20, comm: "b", links: ["socket:[2]", "socket:[3]", "socket:[4]"])
        let result = try ListenerOwnerScan(paths: tree.paths).run(wanted: [1])
        #expect(result.found.keys.sorted() == [1])
        #expect(result.linksRead == 1)
    }

    @Test func theLinkBudgetBoundsTheWalk() throws {
        let tree = Tree()
        try tree.process(10, comm: "a", links: (0..<50).map { "socket:[\(1000 + $0)]" })
        try tree.process(20, comm: "b", links: ["socket:[1]"])
        let result = try ListenerOwnerScan(paths: tree.paths, maximumLinks: 20).run(wanted: [1])
        #expect(!result.complete)
        #expect(result.linksRead == 20)
        #expect(result.found.isEmpty)
    }

    /// Processes that exit between the listing of /proc and the reads, and odd files: skipped,
    /// and a later holder of the same socket still names it.
    @Test func survivesProcessesExitingMidScanAndOddFiles() throws {
        let tree = Tree()
        // Exited: its directory without fd (or with fd no longer a directory).
        try tree.directory.write("proc/5/stat", Self.statLine(5, "gone", start: 1))
        try tree.directory.write("proc/6/fd", "")
        // Holds the socket, but exited before its stat was read.
        mkdir(tree.directory.file("proc/7"), 0o755)
        mkdir(tree.directory.file("proc/7/fd"), 0o755)
        symlink("socket:[4242]", tree.directory.file("proc/7/fd/3"))
        // Malformed link texts and a stat that does not parse.
        try tree.process(8, comm: "odd", links: ["socket:[abc]", "socket:[", "socket:[99999999999]"])
        try tree.directory.write("proc/9/stat", "garbage")
        mkdir(tree.directory.file("proc/9/fd"), 0o755)
        symlink("socket:[4242]", tree.directory.file("proc/9/fd/0"))
        // A cgroup file that does not parse: the owner without a unit.
        try tree.process(10, comm: "nginx", cgroup: "nonsense\n", links: ["socket:[4242]"])
        let result = try ListenerOwnerScan(paths: tree.paths).run(wanted: [4242])
        #expect(result.found[4242] == ListenerOwner(pid: 10, process: "nginx", startTicks: 50))
    }

    @Test(arguments: [
        "x) S 1 (y", "a\nb", "\u{1b}[31mred", "\u{fffd}\u{fffd}", " ", "((nginx))", "emoji 🦀",
    ])
    func hostileProcessNamesAreTakenAsTheyAre(comm: String) throws {
        let tree = Tree()
        try tree.process(42, comm: comm, links: ["socket:[1]"])
        let result = try ListenerOwnerScan(paths: tree.paths).run(wanted: [1])
        #expect(result.found[1]?.process == comm)
        #expect(result.found[1]?.pid == 42)
    }

    @Test func aMissingProcIsAnError() throws {
        let scan = ListenerOwnerScan(paths: HostPaths(procfs: "/nonexistent-scalewatch-proc"))
        #expect(throws: FileReadError.self) { try scan.run(wanted: [1]) }
        // Nothing wanted: nothing read.
        #expect(try scan.run(wanted: []) == .init())
    }

    // MARK: - Whether the owner still runs

    @Test func aUnitRunsWhileItsCgroupHasProcesses() throws {
        let tree = Tree()
        let v2 = ListenerOwner(pid: 1, process: "nginx", startTicks: 1, unit: "nginx.service",
                               unitCgroup: .init(hierarchy: .unified, path: "/system.slice/nginx.service"))
        let v1 = ListenerOwner(pid: 1, process: "nginx", startTicks: 1, unit: "web.service",
                               unitCgroup: .init(hierarchy: .systemd, path: "/system.slice/web.service"))
        let scan = ListenerOwnerScan(paths: tree.paths)
        // Hybrid layout: the v2 tree at /sys/fs/cgroup/unified. No group: stopped and removed.
        try tree.directory.write("sys/fs/cgroup/unified/cgroup.procs", "")
        #expect(scan.isRunning(v2) == false)
        #expect(scan.isRunning(v1) == false)
        try tree.directory.write("sys/fs/cgroup/unified/system.slice/nginx.service/cgroup.events", "populated 1\nfrozen 0\n")
        try tree.directory.write("sys/fs/cgroup/systemd/system.slice/web.service/cgroup.procs", "120\n121\n")
        #expect(scan.isRunning(v2) == true)
        #expect(scan.isRunning(v1) == true)
        // Stopped, the group left behind empty.
        try tree.directory.write("sys/fs/cgroup/unified/system.slice/nginx.service/cgroup.events", "populated 0\nfrozen 0\n")
        try tree.directory.write("sys/fs/cgroup/systemd/system.slice/web.service/cgroup.procs", "")
        #expect(scan.isRunning(v2) == false)
        #expect(scan.isRunning(v1) == false)
        // Unified layout: the v2 tree is /sys/fs/cgroup itself.
        try tree.directory.write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n")
        try tree.directory.write("sys/fs/cgroup/system.slice/nginx.service/cgroup.events", "populated 1\n")
        #expect(scan.isRunning(v2) == true)
        // An events file that says something else: unknown, not a guess.
        try tree.directory.write("sys/fs/cgroup/system.slice/nginx.service/cgroup.events", "populated maybe\n")
        #expect(scan.isRunning(v2) == nil)
    }

    @Test func outsideUnitsTheProcessItselfMustLive() throws {
        let tree = Tree()
        let owner = ListenerOwner(pid: 120, process: "nginx", startTicks: 700)
        let scan = ListenerOwnerScan(paths: tree.paths)
        #expect(scan.isRunning(owner) == false)
        try tree.process(120, comm: "nginx", start: 700, links: [])
        #expect(scan.isRunning(owner) == true)
        // The pid reused by a later process.
        try tree.directory.write("proc/120/stat", Self.statLine(120, "bash", start: 9000))
        #expect(scan.isRunning(owner) == false)
    }

    // MARK: - The live /proc

    @Test func findsThisProcessOnTheLiveProc() throws {
        let sockets = LoopbackSockets()
        let (listener, _) = try sockets.listen(backlog: 4)
        var address = Glibc.stat()
        #expect(fstat(listener, &address) == 0)
        let inode = UInt32(truncatingIfNeeded: address.st_ino)
        let scan = ListenerOwnerScan(paths: HostPaths())
        let result = try scan.run(wanted: [inode])
        let owner = try #require(result.found[inode])
        #expect(owner.pid == Int(getpid()))
        let comm = try FileReading.string(atPath: "/proc/self/comm")
        #expect(owner.process + "\n" == comm)
        #expect(scan.isRunning(owner) == true)
    }
}
