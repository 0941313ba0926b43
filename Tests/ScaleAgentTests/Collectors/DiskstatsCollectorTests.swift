import Testing
@testable import ScaleAgent

@Suite struct DiskstatsCollectorTests {
    @Test func parsesEveryColumnCountTheKernelPrints() throws {
        let text = """
               8       0 sda 100 2 300 4 5 6 700 8 0 10 11
             254       0 vda 31208 7091 3485106 23241 13040 19667 1926640 10550 0 16112 35541 2217 0 276896 432
             259       0 nvme0n1 1057 3 98110 311 4520 1210 501322 8823 2 6230 9134 0 0 0 0 17 18

            """
        let disks = try DiskstatsCollector.parse(text, file: "diskstats")
        #expect(disks.map(\.device) == ["sda", "vda", "nvme0n1"])
        #expect(disks.map(\.counters.count) == [11, 15, 17])
        #expect(disks[1] == .init(major: "254", minor: "0", device: "vda", counters: [31208, 7091, 3485106, 23241, 13040, 19667, 1926640, 10550, 0, 16112, 35541, 2217, 0, 276896, 432]))
    }

    @Test(arguments: [
        ("   8 0 sda 1 2 3 4 5 6 7 8 9 10\n", 1, "at least 11 counters, found 13 fields"),
        ("   8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n   x 0 sdb 1 2 3 4 5 6 7 8 9 10 11\n", 2, "expected a major device number, found 'x'"),
        ("   8 -1 sda 1 2 3 4 5 6 7 8 9 10 11\n", 1, "expected a minor device number, found '-1'"),
        ("\n   8 0 sda 1 2 3 4 5 6 7 8 9 10 1.5\n", 2, "expected a counter for sda, found '1.5'"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try DiskstatsCollector.parse(text, file: "/proc/diskstats") }
        #expect(error?.file == "/proc/diskstats")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func collectsFromFixtureWithoutPartitionsAndLoopDevices() throws {
        var builder = MetricsBuilder()
        try DiskstatsCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        let info = families.first { $0.name == "node_disk_info" }
        #expect(info?.samples.map { $0.labels["device"] } == ["vda", "nvme0n1", "zram0"])
        #expect(families.value("node_disk_info", ["device": "nvme0n1", "major": "259", "minor": "0"]) == 1)

        let vda = ["device": "vda"]
        #expect(families.value("node_disk_reads_completed_total", vda) == 31208)
        #expect(families.value("node_disk_reads_merged_total", vda) == 7091)
        #expect(families.value("node_disk_read_bytes_total", vda) == Double(3485106 * 512))
        #expect(families.value("node_disk_read_time_seconds_total", vda) == 23.241)
        #expect(families.value("node_disk_writes_completed_total", vda) == 13040)
        #expect(families.value("node_disk_writes_merged_total", vda) == 19667)
        #expect(families.value("node_disk_written_bytes_total", vda) == Double(1926640 * 512))
        #expect(families.value("node_disk_write_time_seconds_total", vda) == 10.55)
        #expect(families.value("node_disk_io_now", vda) == 0)
        #expect(families.value("node_disk_io_now", ["device": "nvme0n1"]) == 2)
        #expect(families.value("node_disk_io_time_seconds_total", vda) == 16.112)
        #expect(families.value("node_disk_io_time_weighted_seconds_total", vda) == 35.541)
        #expect(families.value("node_disk_discards_completed_total", vda) == 2217)
        #expect(families.value("node_disk_discards_merged_total", vda) == 0)
        #expect(families.value("node_disk_discarded_sectors_total", vda) == 276896)
        #expect(families.value("node_disk_discard_time_seconds_total", vda) == 0.432)
        #expect(families.value("node_disk_flush_requests_total", vda) == 1881)
        #expect(families.value("node_disk_flush_requests_time_seconds_total", vda) == 1.316)

        #expect(families.count == 18)
        #expect(families.allSatisfy { $0.type == ($0.name.hasSuffix("_total") ? .counter : .gauge) })
        #expect(families.first { $0.name == "node_disk_io_time_seconds_total" }?.help == "Total seconds spent doing I/Os.")
    }

    @Test func olderKernelsGetOnlyTheirColumns() throws {
        let tree = ScratchTree()
        tree.write("diskstats", "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n")
        var builder = MetricsBuilder()
        try DiskstatsCollector(paths: HostPaths(procfs: tree.root)).collect(into: &builder)
        let names = builder.build().map(\.name)
        #expect(names.count == 12)
        #expect(names.last == "node_disk_io_time_weighted_seconds_total")
        #expect(!names.contains("node_disk_discards_completed_total"))
        #expect(!names.contains("node_disk_flush_requests_total"))
    }

    @Test func customExcludeKeepsPartitions() throws {
        var builder = MetricsBuilder()
        try DiskstatsCollector(paths: Fixtures.paths, deviceExclude: Pattern("^(loop|zram)")).collect(into: &builder)
        let info = builder.build().first { $0.name == "node_disk_info" }
        #expect(info?.samples.map { $0.labels["device"] } == ["vda", "vda1", "nvme0n1", "nvme0n1p1"])
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}

@Suite struct DiskIdentityTests {
    @Test func udevPropertiesAreTheELines() {
        let properties = DiskstatsCollector.parseUdevProperties(
            "S:disk/by-id/x\nE:ID_MODEL=Virtio Block Device\nE:ID_WWN=0x5000\nE:EMPTY=\nI:123\nE:broken\n")
        #expect(properties == ["ID_MODEL": "Virtio Block Device", "ID_WWN": "0x5000", "EMPTY": ""])
    }

    @Test func diskInfoCarriesUdevIdentityWhereThereIsOne() throws {
        var metrics = MetricsBuilder()
        try DiskstatsCollector(paths: Fixtures.paths).collect(into: &metrics)
        let info = metrics.build().first { $0.name == "node_disk_info" }
        let vda = info?.samples.first { $0.labels["device"] == "vda" }?.labels
        #expect(vda?["model"] == "Virtio Block Device")
        #expect(vda?["serial"] == "root0001")
        #expect(vda?["path"] == "pci-0000:00:05.0")
        #expect(vda?["wwn"] == nil)
    }
}
