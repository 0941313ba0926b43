import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent

/// What one collection costs with 200 services (a tree laid out as cgroup v2 and as hybrid
/// v1 shows them, every file a real kernel would have), in CPU time of the collecting thread.
/// The bound is loose, for a debug build on a busy CI machine; the figures are printed.
/// scripts/cgroup_cost.py measures the same on real kernel cgroups through the running agent.
@Suite struct CgroupsCostTests {
    static let services = 200

    @Test func twoHundredV2Services() throws {
        let tree = ScratchTree()
        tree.write("fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n")
        // As the kernel orders memory.stat: anon and file first.
        let stat = "anon 1000\nfile 2000\n" + (0..<48).map { "field_\($0) \($0 * 4096)\n" }.joined()
        for index in 0..<Self.services {
            let d = "fs/cgroup/system.slice/svc-\(index).service/"
            tree.write(d + "memory.current", "\(1_000_000 + index)\n")
            tree.write(d + "memory.peak", "\(2_000_000 + index)\n")
            tree.write(d + "memory.max", "max\n")
            tree.write(d + "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n")
            tree.write(d + "memory.stat", stat)
            tree.write(d + "memory.swap.current", "0\n")
            tree.write(d + "memory.swap.max", "max\n")
            tree.write(d + "io.stat", "254:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n")
            tree.write(
                d + "cpu.stat",
                "usage_usec 1\nuser_usec 1\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n")
            for resource in ["cpu", "memory", "io"] {
                tree.write(
                    d + resource + ".pressure",
                    "some avg10=0.00 avg60=0.00 avg300=0.00 total=1\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
            }
        }
        try measure("v2", HostPaths(sysfs: tree.root), families: 25)
    }

    @Test func twoHundredV1Services() throws {
        let tree = ScratchTree()
        // As v1 orders memory.stat: the group's own values, then the hierarchy's totals.
        let stat =
            (0..<17).map { "field_\($0) \($0 * 4096)\n" }.joined() + "total_cache 2000\ntotal_rss 1000\n"
            + (0..<16).map { "total_field_\($0) \($0 * 4096)\n" }.joined()
        tree.write("fs/cgroup/memory/memory.usage_in_bytes", "1\n")
        tree.write("fs/cgroup/cpuacct/cpuacct.usage", "1\n")
        tree.write("fs/cgroup/cpu/cpu.stat", "nr_periods 0\n")
        tree.write("fs/cgroup/blkio/cgroup.procs", "")
        let blkio = "254:0 Read 4096\n254:0 Write 8192\n254:0 Sync 8192\n254:0 Async 4096\n254:0 Discard 0\n254:0 Total 12288\nTotal 12288\n"
        tree.write("fs/cgroup/blkio/blkio.throttle.io_service_bytes_recursive", blkio)
        for index in 0..<Self.services {
            let m = "fs/cgroup/memory/system.slice/svc-\(index).service/"
            tree.write(m + "memory.usage_in_bytes", "\(1_000_000 + index)\n")
            tree.write(m + "memory.max_usage_in_bytes", "\(2_000_000 + index)\n")
            tree.write(m + "memory.limit_in_bytes", "9223372036854771712\n")
            tree.write(m + "memory.failcnt", "0\n")
            tree.write(m + "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n")
            tree.write(m + "memory.stat", stat)
            tree.write(m + "memory.memsw.usage_in_bytes", "\(1_000_000 + index)\n")
            let b = "fs/cgroup/blkio/system.slice/svc-\(index).service/"
            tree.write(b + "blkio.throttle.io_service_bytes_recursive", blkio)
            tree.write(b + "blkio.throttle.io_serviced_recursive", blkio)
            tree.write("fs/cgroup/cpuacct/system.slice/svc-\(index).service/cpuacct.usage", "12345\n")
            tree.write(
                "fs/cgroup/cpu/system.slice/svc-\(index).service/cpu.stat",
                "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n")
        }
        try measure("v1", HostPaths(sysfs: tree.root), families: 18)
    }

    private func measure(_ layout: String, _ paths: HostPaths, families expected: Int) throws {
        var settings = CgroupSettings()
        settings.maxUnits = Self.services
        let collector = CgroupsCollector(paths: paths, settings: settings)
        var builder = MetricsBuilder()
        try collector.collect(into: &builder)  // warm the page cache and the allocator
        #expect(builder.build().count == expected)
        #expect(builder.build().first { $0.name == "scalewatch_service_memory_bytes" }?.samples.count == Self.services)
        let rounds = 20
        let start = Self.threadCPUSeconds()
        for _ in 0..<rounds {
            var metrics = MetricsBuilder()
            try collector.collect(into: &metrics)
        }
        let perCollection = (Self.threadCPUSeconds() - start) / Double(rounds)
        print("cgroups collector, \(Self.services) \(layout) services: \(Int(perCollection * 1e6)) µs CPU per collection")
        #expect(perCollection < 0.25)
    }

    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
