/// Fibre Channel host adapters from /sys/class/fc_host under node_exporter's `fibrechannel`
/// names: one info series per host (speed, port state — `Linkdown` when the SAN link is gone —,
/// names) and its error and traffic counters. Skipped where there is no FC adapter.
public struct FibreChannelCollector: Collector {
    public let name = "fibrechannel"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    /// The counters node_exporter reports: metric suffix, file under statistics/, help.
    static let counters: [(metric: String, file: String, help: String)] = [
        ("dumped_frames_total", "dumped_frames", "Number of dumped frames"),
        ("error_frames_total", "error_frames", "Number of errors in frames"),
        ("invalid_crc_total", "invalid_crc_count", "Invalid Cyclic Redundancy Check count"),
        ("rx_frames_total", "rx_frames", "Number of frames received"),
        ("rx_words_total", "rx_words", "Number of words received by host port"),
        ("tx_frames_total", "tx_frames", "Number of frames transmitted by host port"),
        ("tx_words_total", "tx_words", "Number of words transmitted by host port"),
        ("seconds_since_last_reset_total", "seconds_since_last_reset", "Number of seconds since last host port reset"),
        ("invalid_tx_words_total", "invalid_tx_word_count", "Number of invalid words transmitted by host port"),
        ("link_failure_total", "link_failure_count", "Number of times the host port link has failed"),
        ("loss_of_sync_total", "loss_of_sync_count", "Number of failures on either bit or transmission word boundaries"),
        ("loss_of_signal_total", "loss_of_signal_count", "Number of times signal has been lost"),
        ("nos_total", "nos_count", "Number Not_Operational Primitive Sequence received by host port"),
        ("fcp_packet_aborts_total", "fcp_packet_aborts", "Number of aborted packets"),
    ]

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/fc_host")
        guard let hosts = try FileReading.directoryEntries(atPath: root) else { return }
        for host in hosts {
            let directory = root + "/" + host
            // drivers/scsi/scsi_transport_fc.c: a driver may leave attributes out; they are
            // then empty, as a label that is absent. The port id and the WWNs are printed as
            // 0x-prefixed hex; node_exporter drops the prefix.
            func attribute(_ file: String) throws -> String {
                let text = try SysfsValue.optionalText(directory + "/" + file).map(Self.trimmed) ?? ""
                let hex = file == "port_id" || file == "port_name" || file == "fabric_name"
                return hex && text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
            }
            metrics.gauge(
                "node_fibrechannel_info", "Non-numeric data from /sys/class/fc_host/<host>, value is always 1.", 1,
                [
                    "fc_host": host, "speed": try attribute("speed"), "port_state": try attribute("port_state"),
                    "port_type": try attribute("port_type"), "port_id": try attribute("port_id"),
                    "port_name": try attribute("port_name"), "fabric_name": try attribute("fabric_name"),
                    "symbolic_name": try attribute("symbolic_name"), "supported_classes": try attribute("supported_classes"),
                    "supported_speeds": try attribute("supported_speeds"), "dev_loss_tmo": try attribute("dev_loss_tmo"),
                ])
            let statistics = directory + "/statistics"
            guard try FileReading.directoryEntries(atPath: statistics) != nil else { continue }
            for counter in Self.counters {
                let file = statistics + "/" + counter.file
                // An absent counter reads 0, as in node_exporter; all ones means the HBA's
                // firmware does not implement it, and it is left out.
                var value: UInt64 = 0
                if let text = try SysfsValue.optionalText(file) { value = try Self.counter(text, file: file) }
                guard value != UInt64.max else { continue }
                metrics.counter("node_fibrechannel_" + counter.metric, counter.help, Double(value), ["fc_host": host])
            }
        }
    }

    /// A statistics file: `0x1a2b` as the kernel prints them (fc_host_statistic), or decimal.
    static func counter(_ text: String, file: String) throws(ParseError) -> UInt64 {
        let value = trimmed(text)
        let hex = value.hasPrefix("0x") || value.hasPrefix("0X")
        let digits = hex ? value.dropFirst(2) : Substring(value)
        let parsed = digits.allSatisfy { $0.isASCII && (hex ? $0.isHexDigit : $0.isNumber) } ? UInt64(digits, radix: hex ? 16 : 10) : nil
        guard let parsed else {
            throw ParseError(file: file, line: 1, "expected a counter in hex (0x…) or decimal, found '\(value.prefix(40))'")
        }
        return parsed
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
        return String(String(text.drop(while: isSpace)).reversed().drop(while: isSpace).reversed())
    }
}
