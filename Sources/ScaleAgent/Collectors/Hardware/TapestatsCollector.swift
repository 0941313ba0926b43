/// SCSI tape drives from /sys/class/scsi_tape/stN/stats under node_exporter's `tapestats`
/// names (Documentation/scsi/st.rst, "Sysfs and statistics for tape devices"): I/O counts,
/// bytes and time per drive, so a backup that stalls on its tape shows. The rewinding and
/// mode variants (nst0, st0a, …) are the same drive and are left out. Skipped where there is
/// no tape drive.
public struct TapestatsCollector: Collector {
    public let name = "tapestats"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/scsi_tape")
        for (drive, _) in try SysfsValue.numberedEntries(root, prefix: "st") {
            let directory = root + "/" + drive + "/stats"
            // Kernels before 4.2 have no stats: nothing to report for the drive.
            guard try FileReading.directoryEntries(atPath: directory) != nil else { continue }
            let stats = try Self.read(directory)
            let labels: KeyValuePairs<String, String> = ["device": drive]
            metrics.gauge(
                "node_tape_io_now", "The number of I/Os currently outstanding to this device.", Double(stats["in_flight"]), labels)
            metrics.counter(
                "node_tape_io_time_seconds_total",
                "The amount of time spent waiting for all I/O to complete (including read and write). This includes tape movement commands such as seeking between file or set marks and implicit tape movement such as when rewind on close tape devices are used.",
                Self.seconds(stats["io_ns"]), labels)
            metrics.counter(
                "node_tape_io_others_total",
                "The number of I/Os issued to the tape drive other than read or write commands. The time taken to complete these commands uses the following calculation io_time_seconds_total-read_time_seconds_total-write_time_seconds_total",
                Double(stats["other_cnt"]), labels)
            metrics.counter(
                "node_tape_read_bytes_total", "The number of bytes read from the tape drive.", Double(stats["read_byte_cnt"]), labels)
            metrics.counter(
                "node_tape_reads_completed_total", "The number of read requests issued to the tape drive.",
                Double(stats["read_cnt"]), labels)
            metrics.counter(
                "node_tape_read_time_seconds_total", "The amount of time spent waiting for read requests to complete.",
                Self.seconds(stats["read_ns"]), labels)
            metrics.counter(
                "node_tape_residual_total",
                "The number of times during a read or write we found the residual amount to be non-zero. This should mean that a program is issuing a read larger thean the block size on tape. For write not all data made it to tape.",
                Double(stats["resid_cnt"]), labels)
            metrics.counter(
                "node_tape_written_bytes_total", "The number of bytes written to the tape drive.", Double(stats["write_byte_cnt"]),
                labels)
            metrics.counter(
                "node_tape_writes_completed_total", "The number of write requests issued to the tape drive.",
                Double(stats["write_cnt"]), labels)
            metrics.counter(
                "node_tape_write_time_seconds_total", "The amount of time spent waiting for write requests to complete.",
                Self.seconds(stats["write_ns"]), labels)
        }
    }

    static let files = [
        "in_flight", "io_ns", "other_cnt", "read_byte_cnt", "read_cnt", "read_ns", "resid_cnt", "write_byte_cnt", "write_cnt",
        "write_ns",
    ]

    /// The ten files of a drive's stats directory, each one decimal count; one the kernel
    /// does not have reads 0, as in node_exporter.
    static func read(_ directory: String) throws -> Stats {
        var stats = Stats()
        for name in files {
            let file = directory + "/" + name
            guard let text = try SysfsValue.optionalText(file) else { continue }
            stats.values[name] = try count(text, file: file)
        }
        return stats
    }

    static func count(_ text: String, file: String) throws(ParseError) -> UInt64 {
        let digits = text.drop(while: { $0 == " " })
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt64(digits) else {
            throw ParseError(file: file, line: 1, "expected a decimal count, found '\(text.prefix(40))'")
        }
        return value
    }

    /// Nanoseconds as node_exporter converts them.
    private static func seconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) * 0.000000001 }

    struct Stats: Equatable {
        var values: [String: UInt64] = [:]
        subscript(_ file: String) -> UInt64 { values[file] ?? 0 }
    }
}
