/// Block device I/O counters from /proc/diskstats, under node_exporter's `diskstats` names.
/// I/O saturation (stage 6) shows as `node_disk_io_time_seconds_total` rising at 1 s/s.
public struct DiskstatsCollector: Collector {
    public let name = "diskstats"
    private let paths: HostPaths
    private let deviceExclude: Pattern

    /// node_exporter 1.5's default: RAM disks, loop and floppy devices, and partitions, whose
    /// I/O is already counted in their whole disk.
    public static let defaultDeviceExclude = try! Pattern(#"^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#)

    public init(paths: HostPaths, deviceExclude: Pattern = DiskstatsCollector.defaultDeviceExclude) {
        self.paths = paths
        self.deviceExclude = deviceExclude
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("diskstats")
        let disks = try Self.parse(FileReading.string(atPath: file), file: file)
        for disk in disks where !deviceExclude.matches(disk.device) {
            let udev = try FileReading.optionalString(atPath: paths.udevData + "/b\(disk.major):\(disk.minor)")
            Self.emit(disk, identity: udev.map(Self.parseUdevProperties) ?? [:], into: &metrics)
        }
    }

    /// `E:KEY=value` lines of a udev database entry (/run/udev/data/b<major>:<minor>). Lines of
    /// other kinds (S: links, I: timestamps) are not ours; a host without udev has no file.
    static func parseUdevProperties(_ text: String) -> [String: String] {
        var properties: [String: String] = [:]
        for line in text.splitASCII(UInt8(ascii: "\n")) where line.hasPrefix("E:") {
            let pair = line.dropFirst(2).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pair.count == 2 { properties[String(pair[0])] = String(pair[1]) }
        }
        return properties
    }

    /// One line of /proc/diskstats: the device and its counters in the file's column order
    /// (Documentation/admin-guide/iostats.rst). Kernels before 4.18 print 11 counters, 4.18
    /// adds 4 discard counters, 5.5 adds 2 flush counters.
    struct DiskStats: Equatable {
        var major: String
        var minor: String
        var device: String
        var counters: [UInt64]
    }

    static let minimumCounters = 11

    static func parse(_ text: String, file: String) throws(ParseError) -> [DiskStats] {
        var disks: [DiskStats] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let fields = line.splitASCIIWhitespace()
            if fields.isEmpty { continue }
            guard fields.count >= 3 + minimumCounters else {
                throw ParseError(
                    file: file, line: index + 1,
                    "expected major, minor, device and at least \(minimumCounters) counters, found \(fields.count) fields")
            }
            for (label, field) in [("major", fields[0]), ("minor", fields[1])] where UInt32(field) == nil {
                throw ParseError(file: file, line: index + 1, "expected a \(label) device number, found '\(field)'")
            }
            var counters: [UInt64] = []
            counters.reserveCapacity(fields.count - 3)
            for field in fields.dropFirst(3) {
                guard let value = UInt64(field) else {
                    throw ParseError(file: file, line: index + 1, "expected a counter for \(fields[2]), found '\(field)'")
                }
                counters.append(value)
            }
            disks.append(DiskStats(major: String(fields[0]), minor: String(fields[1]), device: String(fields[2]), counters: counters))
        }
        return disks
    }

    private enum Unit {
        case count, sectorsAsBytes, millisecondsAsSeconds

        func convert(_ value: UInt64) -> Double {
            switch self {
            case .count: Double(value)
            case .sectorsAsBytes: Double(value) * 512  // always 512-byte units, whatever the device's sector size
            case .millisecondsAsSeconds: Double(value) / 1000
            }
        }
    }

    /// The families of the counter columns, in column order: a kernel that prints fewer
    /// columns simply gets fewer families.
    private static let columns: [(name: String, help: String, type: MetricType, unit: Unit)] = [
        ("node_disk_reads_completed_total", "The total number of reads completed successfully.", .counter, .count),
        ("node_disk_reads_merged_total", "The total number of reads merged.", .counter, .count),
        ("node_disk_read_bytes_total", "The total number of bytes read successfully.", .counter, .sectorsAsBytes),
        ("node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", .counter, .millisecondsAsSeconds),
        ("node_disk_writes_completed_total", "The total number of writes completed successfully.", .counter, .count),
        ("node_disk_writes_merged_total", "The number of writes merged.", .counter, .count),
        ("node_disk_written_bytes_total", "The total number of bytes written successfully.", .counter, .sectorsAsBytes),
        ("node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", .counter, .millisecondsAsSeconds),
        ("node_disk_io_now", "The number of I/Os currently in progress.", .gauge, .count),
        ("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", .counter, .millisecondsAsSeconds),
        ("node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", .counter, .millisecondsAsSeconds),
        ("node_disk_discards_completed_total", "The total number of discards completed successfully.", .counter, .count),
        ("node_disk_discards_merged_total", "The total number of discards merged.", .counter, .count),
        // node_exporter leaves discarded sectors as sectors.
        ("node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", .counter, .count),
        ("node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.", .counter, .millisecondsAsSeconds),
        ("node_disk_flush_requests_total", "The total number of flush requests completed successfully", .counter, .count),
        ("node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests.", .counter, .millisecondsAsSeconds),
    ]

    private static func emit(_ disk: DiskStats, identity: [String: String], into metrics: inout MetricsBuilder) {
        // node_exporter 1.5's identity labels from udev; empty ones are absent, as Prometheus
        // stores them.
        metrics.gauge(
            "node_disk_info", "Info of /sys/block/<block_device>.", 1,
            [
                "device": disk.device, "major": disk.major, "minor": disk.minor, "path": identity["ID_PATH"] ?? "",
                "wwn": identity["ID_WWN"] ?? "", "model": identity["ID_MODEL"] ?? "",
                "serial": identity["ID_SERIAL_SHORT"] ?? "", "revision": identity["ID_REVISION"] ?? "",
            ])
        for (column, value) in zip(columns, disk.counters) {
            metrics.add(column.name, column.help, column.type, column.unit.convert(value), ["device": disk.device])
        }
    }
}
