import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent

/// The `cgroups` and `top_processes` collectors on fixture trees of a cgroup v2 host
/// (Fixtures/cgroup-v2) and a hybrid v1 host (Fixtures/cgroup-v1, Debian 10's layout with
/// `cpu` and `cpuacct` linked to `cpu,cpuacct`), against golden files beside the trees.
/// Re-record on purpose only: SCALEWATCH_RECORD_GOLDEN=1 swift test --filter CgroupsCollectorTests.
@Suite struct CgroupsCollectorTests {
    static let v2 = CgroupFixtures.tree("cgroup-v2")
    static let v1 = CgroupFixtures.tree("cgroup-v1")

    @Test func detectsEachLayout() throws {
        let unified = try #require(CgroupLayout.detect(root: Self.v2.sys("fs/cgroup")))
        #expect(unified == CgroupLayout(mode: .unified, unified: Self.v2.sys("fs/cgroup")))
        let hybrid = try #require(CgroupLayout.detect(root: Self.v1.sys("fs/cgroup")))
        #expect(hybrid.mode == .hybrid)
        #expect(hybrid.unified == Self.v1.sys("fs/cgroup/unified"))
        #expect(hybrid.memory == Self.v1.sys("fs/cgroup/memory"))
        // Debian's symlinks are found first, under the names the kernel documents.
        #expect(hybrid.cpuacct == Self.v1.sys("fs/cgroup/cpuacct"))
        #expect(hybrid.cpu == Self.v1.sys("fs/cgroup/cpu"))
        #expect(CgroupLayout.detect(root: CgroupFixtures.directory + "/no-such-tree") == nil)
    }

    @Test func detectsSeparateControllersAndLegacyWithoutAUnifiedTree() throws {
        // This CI host's own layout: cpu and cpuacct mounted apart, a unified tree without
        // controllers; and without the unified tree, legacy.
        let tree = ScratchTree()
        tree.write("fs/cgroup/memory/memory.usage_in_bytes", "1\n")
        tree.write("fs/cgroup/cpu/cpu.stat", "nr_periods 0\n")
        tree.write("fs/cgroup/cpuacct/cpuacct.usage", "1\n")
        let legacy = try #require(CgroupLayout.detect(root: tree.root + "/fs/cgroup"))
        #expect(legacy.mode == .legacy)
        #expect(legacy.unified == nil)
        #expect(legacy.cpu == tree.root + "/fs/cgroup/cpu")
        tree.write("fs/cgroup/unified/cgroup.controllers", "")
        #expect(CgroupLayout.detect(root: tree.root + "/fs/cgroup")?.mode == .hybrid)
        // `cpuacct,cpu` as some distributions name the joint mount.
        let joint = ScratchTree()
        joint.write("fs/cgroup/cpuacct,cpu/cpuacct.usage", "1\n")
        joint.write("fs/cgroup/cpuacct,cpu/cpu.stat", "nr_periods 0\n")
        let layout = try #require(CgroupLayout.detect(root: joint.root + "/fs/cgroup"))
        #expect(layout.cpuacct == joint.root + "/fs/cgroup/cpuacct,cpu")
        #expect(layout.memory == nil)
    }

    @Test func discoversServicesInSlicesAndSubSlicesOnly() throws {
        let layout = try #require(CgroupLayout.detect(root: Self.v2.sys("fs/cgroup")))
        #expect(
            try layout.discoverServices(slices: ["system.slice"]) == [
                "system.slice/app.service", "system.slice/cron.service", "system.slice/nginx.service",
                "system.slice/ssh.service", "system.slice/system-postgresql.slice/postgresql@15-main.service",
            ])
        #expect(try layout.discoverServices(slices: ["user.slice"]) == ["user.slice/user-1000.slice/user@1000.service"])
        #expect(try layout.discoverServices(slices: ["no-such.slice"]).isEmpty)
        // v1: the union over the memory, cpu and cpuacct hierarchies and the unified tree.
        let hybrid = try #require(CgroupLayout.detect(root: Self.v1.sys("fs/cgroup")))
        #expect(
            try hybrid.discoverServices(slices: ["system.slice"]) == [
                "system.slice/app.service", "system.slice/cron.service", "system.slice/nginx.service",
                "system.slice/ssh.service", "system.slice/system-postgresql.slice/postgresql@11-main.service",
            ])
    }

    @Test func readsAV2Service() throws {
        let layout = try #require(CgroupLayout.detect(root: Self.v2.sys("fs/cgroup")))
        let app = try #require(try CgroupsCollector.read("system.slice/app.service", layout))
        #expect(app.memoryBytes == 536_346_624)
        #expect(app.memoryPeakBytes == 536_870_912)
        #expect(app.memoryLimitBytes == 536_870_912)
        #expect(app.anonBytes == 510_000_000)
        #expect(app.fileBytes == 20_000_000)
        #expect(app.limitHits == 5120)
        #expect(app.oomEvents == 3)
        #expect(app.oomKills == 2)
        #expect(app.cpuSeconds == 3600)
        #expect(app.cpuPeriods == 36_000)
        #expect(app.throttledPeriods == 1200)
        #expect(app.throttledSeconds == 95.5)
        #expect(app.cpuPressure?.some == 88)
        #expect(app.cpuPressure?.full == 41)
        #expect(app.memoryPressure?.full == 6)
        // io.stat summed over its two devices; swap and its limit.
        #expect(app.io == .init(readBytes: 1_048_580_096, writtenBytes: 524_296_192, reads: 25_601, writes: 12_802))
        #expect(app.swapBytes == 104_857_600 && app.swapLimitBytes == 268_435_456)
        let postgres = try #require(try CgroupsCollector.read("system.slice/system-postgresql.slice/postgresql@15-main.service", layout))
        #expect(postgres.io?.writtenBytes == 36_507_222_016)
        #expect(postgres.swapBytes == 0 && postgres.swapLimitBytes == nil)
        // No memory controller for cron, and no cpu controller: usage only.
        let cron = try #require(try CgroupsCollector.read("system.slice/cron.service", layout))
        #expect(cron.memoryBytes == nil && cron.oomKills == nil && cron.throttledPeriods == nil)
        #expect(cron.cpuSeconds == 1.5)
        #expect(cron.cpuPressure == nil)
        // The io controller on for cron, which has done no IO: zeros. Nginx has no io.stat and
        // no swap files (controllers off for it): absent, not zero.
        #expect(cron.io == .init() && cron.swapBytes == nil)
        let nginx = try #require(try CgroupsCollector.read("system.slice/nginx.service", layout))
        #expect(nginx.io == nil && nginx.swapBytes == nil)
        // Before Linux 5.19: no memory.peak.
        let ssh = try #require(try CgroupsCollector.read("system.slice/ssh.service", layout))
        #expect(ssh.memoryPeakBytes == nil && ssh.memoryBytes == 4_194_304 && ssh.memoryLimitBytes == nil)
        #expect(ssh.cpuPressure == .init(some: 0.000012, full: nil))
    }

    @Test func readsAV1Service() throws {
        let layout = try #require(CgroupLayout.detect(root: Self.v1.sys("fs/cgroup")))
        let app = try #require(try CgroupsCollector.read("system.slice/app.service", layout))
        #expect(app.memoryBytes == 536_346_624)
        #expect(app.memoryPeakBytes == 536_870_912)
        #expect(app.memoryLimitBytes == 536_870_912)
        #expect(app.anonBytes == 510_000_000 && app.fileBytes == 20_000_000)
        // memory.failcnt and memory.memsw.failcnt
        #expect(app.limitHits == 5127)
        #expect(app.oomEvents == nil)
        #expect(app.oomKills == 2)
        #expect(app.cpuSeconds == 3600)
        #expect(app.throttledPeriods == 1200 && app.cpuPeriods == 36_000 && app.throttledSeconds == 95.5)
        #expect(app.cpuPressure == nil)
        // Without the blkio files the root counts in, no IO.
        #expect(app.io == nil)
        // memory.memsw.usage_in_bytes less memory.usage_in_bytes.
        #expect(app.swapBytes == 104_333_312)
        let blkio = try #require(try CgroupsCollector.countedBlkioFiles(layout))
        #expect(blkio.bytes == "blkio.throttle.io_service_bytes_recursive")
        let counted = try #require(try CgroupsCollector.read("system.slice/app.service", layout, blkio: blkio))
        #expect(counted.io == .init(readBytes: 1_048_580_096, writtenBytes: 524_296_192, reads: 25_601, writes: 12_802))
        let postgres = try #require(
            try CgroupsCollector.read("system.slice/system-postgresql.slice/postgresql@11-main.service", layout, blkio: blkio))
        #expect(postgres.io?.reads == 17_825_792 && postgres.swapBytes == 0)
        let nginx = try #require(try CgroupsCollector.read("system.slice/nginx.service", layout, blkio: blkio))
        #expect(nginx.memoryLimitBytes == nil)
        // No memsw files (swap accounting off) and no blkio group: absent.
        #expect(nginx.swapBytes == nil && nginx.io == nil)
        #expect(nginx.ioPressure?.full == 0.12)
        let cron = try #require(try CgroupsCollector.read("system.slice/cron.service", layout, blkio: blkio))
        #expect(cron.memoryBytes == nil && cron.cpuSeconds == 1.5)
        #expect(cron.io == .init())
    }

    @Test func aV1HostWhoseBlkioCountsNothingHasNoIOValues() throws {
        // Linux 6.10 and later set the throttle layer up on a disk only once a limit is set:
        // until then every group, the root included, reads `Total 0`.
        let tree = ScratchTree()
        tree.write("fs/cgroup/memory/memory.usage_in_bytes", "1\n")
        tree.write("fs/cgroup/blkio/cgroup.procs", "")
        tree.write("fs/cgroup/blkio/blkio.throttle.io_service_bytes_recursive", "Total 0\n")
        tree.write("fs/cgroup/blkio/blkio.throttle.io_serviced_recursive", "Total 0\n")
        let service = "fs/cgroup/blkio/system.slice/db.service/"
        tree.write(service + "blkio.throttle.io_service_bytes_recursive", "Total 0\n")
        tree.write(service + "blkio.throttle.io_serviced_recursive", "Total 0\n")
        let layout = try #require(CgroupLayout.detect(root: tree.root + "/fs/cgroup"))
        #expect(layout.blkio == tree.root + "/fs/cgroup/blkio")
        #expect(try CgroupsCollector.countedBlkioFiles(layout) == nil)
        let families = try collect(HostPaths(sysfs: tree.root))
        #expect(families.serviceValue("scalewatch_service_units") == 1)
        #expect(!families.contains { $0.name.hasPrefix("scalewatch_service_io_") })
        // Once the root lists a device, the same zeros are true zeros; an older kernel's CFQ
        // files are used where the throttle files are absent.
        tree.write("fs/cgroup/blkio/blkio.throttle.io_service_bytes_recursive", "8:0 Read 0\n8:0 Write 4096\nTotal 4096\n")
        #expect(try CgroupsCollector.countedBlkioFiles(layout)?.operations == "blkio.throttle.io_serviced_recursive")
        #expect(try collect(HostPaths(sysfs: tree.root)).serviceValue("scalewatch_service_io_written_bytes_total", ["unit": "db.service"]) == 0)
        let old = ScratchTree()
        old.write("fs/cgroup/blkio/cgroup.procs", "")
        old.write("fs/cgroup/blkio/blkio.io_service_bytes", "8:0 Read 1\nTotal 1\n")
        let oldLayout = try #require(CgroupLayout.detect(root: old.root + "/fs/cgroup"))
        #expect(try CgroupsCollector.countedBlkioFiles(oldLayout) == .init(bytes: "blkio.io_service_bytes", operations: "blkio.io_serviced"))
    }

    @Test func v1SwapIsNeverNegative() throws {
        // usage read after a charge that memsw, read first, did not see yet.
        let tree = ScratchTree()
        tree.write("fs/cgroup/memory/memory.usage_in_bytes", "1\n")
        tree.write("fs/cgroup/memory/system.slice/db.service/memory.usage_in_bytes", "8192\n")
        tree.write("fs/cgroup/memory/system.slice/db.service/memory.memsw.usage_in_bytes", "4096\n")
        let layout = try #require(CgroupLayout.detect(root: tree.root + "/fs/cgroup"))
        #expect(try CgroupsCollector.read("system.slice/db.service", layout)?.swapBytes == 0)
    }

    @Test(arguments: [
        ("fs/cgroup/system.slice/a.service/io.stat", "8:0 rbytes=1\n", "8:0: missing wbytes"),
        ("fs/cgroup/system.slice/a.service/memory.swap.current", "lots\n", "expected an unsigned integer, found 'lots'"),
        ("fs/cgroup/system.slice/a.service/memory.swap.max", "none\n", "expected an unsigned integer, found 'none'"),
    ])
    func aMalformedIOOrSwapFileFailsWithItsPath(_ file: String, _ text: String, _ message: String) throws {
        let tree = ScratchTree()
        tree.write("fs/cgroup/cgroup.controllers", "memory io\n")
        tree.write("fs/cgroup/system.slice/a.service/memory.current", "12\n")
        tree.write(file, text)
        var builder = MetricsBuilder()
        let error = #expect(throws: ParseError.self) {
            try CgroupsCollector(paths: HostPaths(sysfs: tree.root)).collect(into: &builder)
        }
        #expect(error == ParseError(file: tree.root + "/" + file, line: 1, message))
    }

    @Test func aServiceThatStoppedSinceDiscoveryIsSkipped() throws {
        let layout = try #require(CgroupLayout.detect(root: Self.v2.sys("fs/cgroup")))
        #expect(try CgroupsCollector.read("system.slice/stopped.service", layout) == nil)
    }

    @Test func aMalformedFileFailsTheCollectionWithItsPath() throws {
        let tree = ScratchTree()
        tree.write("fs/cgroup/cgroup.controllers", "memory\n")
        tree.write("fs/cgroup/system.slice/a.service/memory.current", "12\n")
        tree.write("fs/cgroup/system.slice/a.service/memory.events", "oom_kill many\n")
        var builder = MetricsBuilder()
        let error = #expect(throws: ParseError.self) {
            try CgroupsCollector(paths: HostPaths(sysfs: tree.root)).collect(into: &builder)
        }
        #expect(error?.file == tree.root + "/fs/cgroup/system.slice/a.service/memory.events")
        #expect(error?.line == 1)
    }

    @Test func aHostWithoutCgroupsReportsNothing() throws {
        var builder = MetricsBuilder()
        try CgroupsCollector(paths: Fixtures.paths).collect(into: &builder)
        #expect(builder.build().isEmpty)
    }

    @Test func labelsAreTheUnitNames() throws {
        let families = try collect(Self.v2)
        let memory = try #require(families.first { $0.name == "scalewatch_service_memory_bytes" })
        #expect(
            Set(memory.samples.compactMap { $0.labels["unit"] }) == [
                "app.service", "nginx.service", "ssh.service", "postgresql@15-main.service",
            ])
        let cpu = try #require(families.first { $0.name == "scalewatch_service_cpu_seconds_total" })
        #expect(cpu.samples.count == 5)
        #expect(cpu.type == .counter)
        #expect(families.serviceValue("scalewatch_cgroup_info", ["mode": "unified"]) == 1)
        #expect(families.serviceValue("scalewatch_service_units") == 5)
        #expect(families.serviceValue("scalewatch_service_units_omitted") == 0)
    }

    @Test func maxUnitsKeepsTheLargestByMemory() throws {
        var settings = CgroupSettings()
        settings.maxUnits = 2
        let families = try collect(Self.v2, settings)
        let memory = try #require(families.first { $0.name == "scalewatch_service_memory_bytes" })
        #expect(Set(memory.samples.compactMap { $0.labels["unit"] }) == ["app.service", "postgresql@15-main.service"])
        #expect(families.serviceValue("scalewatch_service_units") == 2)
        #expect(families.serviceValue("scalewatch_service_units_omitted") == 3)
        // Every family is bounded the same way.
        for family in families where family.name.hasPrefix("scalewatch_service_") && family.name != "scalewatch_service_units"
            && family.name != "scalewatch_service_units_omitted"
        {
            #expect(family.samples.count <= 2, "\(family.name)")
        }
    }

    @Test func aUnitNameUnderTwoSlicesCountsOnce() throws {
        let tree = ScratchTree()
        tree.write("fs/cgroup/cgroup.controllers", "memory\n")
        tree.write("fs/cgroup/a.slice/x.service/memory.current", "1\n")
        tree.write("fs/cgroup/b.slice/x.service/memory.current", "2\n")
        var settings = CgroupSettings()
        settings.slices = ["b.slice", "a.slice"]
        let families = try collect(HostPaths(sysfs: tree.root), settings)
        #expect(families.serviceValue("scalewatch_service_memory_bytes", ["unit": "x.service"]) == 1)
        #expect(families.serviceValue("scalewatch_service_units") == 1)
    }

    @Test(arguments: [("cgroup-v2", v2), ("cgroup-v1", v1)])
    func goldenFile(_ name: String, _ paths: HostPaths) throws {
        var builder = MetricsBuilder()
        try CgroupsCollector(paths: paths).collect(into: &builder)
        try TopProcessesCollector(paths: paths, count: 5, pageSize: 4096).collect(into: &builder)
        let rendered = String(decoding: ExpositionRenderer.render(builder.build(), as: .text), as: UTF8.self)
        let path = CgroupFixtures.directory + "/" + name + "/expected.prom"
        if let record = getenv("SCALEWATCH_RECORD_GOLDEN"), String(cString: record) == "1" {
            CgroupFixtures.write(rendered, to: path)
        }
        let golden = try FileReading.string(atPath: path)
        let renderedLines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, (got, want)) in zip(renderedLines, goldenLines).enumerated() where got != want {
            Issue.record("\(name)/expected.prom:\(index + 1): expected \(want)\n got \(got)")
            return
        }
        #expect(renderedLines.count == goldenLines.count, "\(name): line count differs")
    }

    private func collect(_ paths: HostPaths, _ settings: CgroupSettings = CgroupSettings()) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try CgroupsCollector(paths: paths, settings: settings).collect(into: &builder)
        return builder.build()
    }
}

enum CgroupFixtures {
    static let directory = Fixtures.directory

    static func tree(_ name: String) -> HostPaths {
        HostPaths(procfs: directory + "/" + name + "/proc", sysfs: directory + "/" + name + "/sys")
    }

    static func write(_ text: String, to path: String) {
        guard let file = fopen(path, "w") else { return }
        fputs(text, file)
        fclose(file)
    }
}

extension [MetricFamily] {
    /// The value of the one sample with exactly these labels.
    func serviceValue(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
