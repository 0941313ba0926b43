import MetricStore
import Testing

@testable import ScaleAgent

@Suite struct TopProcessesCollectorTests {
    @Test func largestFirstWithNameAndUnit() throws {
        let top = try TopProcessesCollector(paths: CgroupFixtures.tree("cgroup-v2"), count: 5, pageSize: 4096).top()
        let postgres = "postgresql@15-main.service"
        let expected: [TopProcessesCollector.Process] = [
            .init(pid: "800", residentBytes: 310_000 * 4096, comm: "postgres", unit: postgres),
            .init(pid: "801", residentBytes: 280_000 * 4096, comm: "postgres", unit: postgres),
            .init(pid: "950", residentBytes: 124_000 * 4096, comm: "python3", unit: "app.service"),
            // Equal sizes rank by pid.
            .init(pid: "413", residentBytes: 4100 * 4096, comm: "nginx", unit: "nginx.service"),
            .init(pid: "1300", residentBytes: 4100 * 4096, comm: "tmux: \"server\"", unit: "tmux-spawn-1.scope"),
        ]
        #expect(top == expected)
    }

    @Test func kernelThreadsAndVanishedProcessesAreLeftOut() throws {
        let top = try TopProcessesCollector(paths: CgroupFixtures.tree("cgroup-v2"), count: 100, pageSize: 4096).top()
        #expect(top.map(\.pid) == ["800", "801", "950", "413", "1300", "1", "412", "1400", "1200"])
        #expect(top.first { $0.pid == "1400" }?.unit == "scalewatch.service")
        #expect(top.first { $0.pid == "1" }?.unit == "init.scope")
    }

    @Test func aProcessMovedIntoAMemoryGroupByHandGetsThatUnit() throws {
        let top = try TopProcessesCollector(paths: CgroupFixtures.tree("cgroup-v1"), count: 2, pageSize: 4096).top()
        #expect(top.map(\.pid) == ["800", "4242"])
        #expect(top.last?.unit == "oomtest.service")
    }

    @Test func reportsOneBoundedFamily() throws {
        var builder = MetricsBuilder()
        try TopProcessesCollector(paths: CgroupFixtures.tree("cgroup-v2"), count: 3, pageSize: 4096).collect(into: &builder)
        let families = builder.build()
        #expect(families.map(\.name) == ["scalewatch_process_resident_memory_bytes"])
        #expect(families[0].type == .gauge)
        #expect(families[0].samples.count == 3)
        #expect(families[0].samples[0].labels == Labels(["comm": "postgres", "pid": "800", "unit": "postgresql@15-main.service"]))
    }

    @Test func aProcessOutsideAnyUnitHasNoUnitLabel() throws {
        let tree = ScratchTree()
        tree.write("7/statm", "100 50 0 0 0 0 0\n")
        tree.write("7/comm", "worker\n")
        tree.write("7/cgroup", "4:memory:/process_api/abc\n0::/\n")
        var builder = MetricsBuilder()
        try TopProcessesCollector(paths: HostPaths(procfs: tree.root), count: 10, pageSize: 4096).collect(into: &builder)
        #expect(builder.build().first?.samples.first?.labels == Labels(["comm": "worker", "pid": "7"]))
    }

    @Test func malformedFilesFailWithTheirPath() throws {
        let tree = ScratchTree()
        tree.write("7/statm", "100\n")
        let statm = #expect(throws: ParseError.self) {
            try TopProcessesCollector(paths: HostPaths(procfs: tree.root), count: 1, pageSize: 4096).top()
        }
        #expect(statm?.file == tree.root + "/7/statm")
        let other = ScratchTree()
        other.write("7/statm", "100 50 0 0 0 0 0\n")
        other.write("7/comm", "x\n")
        other.write("7/cgroup", "garbage\n")
        let cgroup = #expect(throws: ParseError.self) {
            try TopProcessesCollector(paths: HostPaths(procfs: other.root), count: 1, pageSize: 4096).top()
        }
        #expect(cgroup?.file == other.root + "/7/cgroup")
    }

    @Test func aMissingProcIsAnError() {
        #expect(throws: FileReadError.self) {
            try TopProcessesCollector(paths: HostPaths(procfs: "/no/such/proc"), count: 1).top()
        }
    }

    @Test func thisHostsOwnProcessIsFound() throws {
        // On the real /proc: a count large enough to include this test process, which holds
        // memory of its own, with the page size the system reports.
        let top = try TopProcessesCollector(paths: HostPaths(), count: 1000).top()
        let me = try #require(top.first { $0.pid == String(getpid()) })
        #expect(me.residentBytes > 1 << 20)
        #expect(!me.comm.isEmpty)
        #expect(top.map(\.residentBytes) == top.map(\.residentBytes).sorted(by: >))
    }
}

#if canImport(Glibc)
import Glibc
#endif
