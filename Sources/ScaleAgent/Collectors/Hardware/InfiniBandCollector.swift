/// InfiniBand (and RoCE, iWARP) adapters from /sys/class/infiniband under node_exporter's
/// `infiniband` names: one info series per device, per port its state, physical state, rate
/// and the port counters (Documentation/ABI/stable/sysfs-class-infiniband). Skipped where
/// there is no RDMA device.
public struct InfiniBandCollector: Collector {
    public let name = "infiniband"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    /// The counters node_exporter reports: metric suffix, file, help. `*_data` files count
    /// 32-bit words, a quarter of the bytes (the IBTA's PortXmitData), so they are multiplied by 4.
    static let counters: [(metric: String, file: String, help: String)] = [
        ("excessive_buffer_overrun_errors_total", "excessive_buffer_overrun_errors",
         "Number of times that OverrunErrors consecutive flow control update periods occurred, each having at least one overrun error."),
        ("link_downed_total", "link_downed", "Number of times the link failed to recover from an error state and went down"),
        ("link_error_recovery_total", "link_error_recovery", "Number of times the link successfully recovered from an error state"),
        ("local_link_integrity_errors_total", "local_link_integrity_errors",
         "Number of times that the count of local physical errors exceeded the threshold specified by LocalPhyErrors."),
        ("multicast_packets_received_total", "multicast_rcv_packets", "Number of multicast packets received (including errors)"),
        ("multicast_packets_transmitted_total", "multicast_xmit_packets",
         "Number of multicast packets transmitted (including errors)"),
        ("port_constraint_errors_received_total", "port_rcv_constraint_errors",
         "Number of packets received on the switch physical port that are discarded"),
        ("port_constraint_errors_transmitted_total", "port_xmit_constraint_errors",
         "Number of packets not transmitted from the switch physical port"),
        ("port_data_received_bytes_total", "port_rcv_data", "Number of data octets received on all links"),
        ("port_data_transmitted_bytes_total", "port_xmit_data", "Number of data octets transmitted on all links"),
        ("port_discards_received_total", "port_rcv_discards",
         "Number of inbound packets discarded by the port because the port is down or congested"),
        ("port_discards_transmitted_total", "port_xmit_discards",
         "Number of outbound packets discarded by the port because the port is down or congested"),
        ("port_errors_received_total", "port_rcv_errors", "Number of packets containing an error that were received on this port"),
        ("port_packets_received_total", "port_rcv_packets", "Number of packets received on all VLs by this port (including errors)"),
        ("port_packets_transmitted_total", "port_xmit_packets",
         "Number of packets transmitted on all VLs from this port (including errors)"),
        ("port_transmit_wait_total", "port_xmit_wait",
         "Number of ticks during which the port had data to transmit but no data was sent during the entire tick"),
        ("unicast_packets_received_total", "unicast_rcv_packets", "Number of unicast packets received (including errors)"),
        ("unicast_packets_transmitted_total", "unicast_xmit_packets", "Number of unicast packets transmitted (including errors)"),
        ("port_receive_remote_physical_errors_total", "port_rcv_remote_physical_errors",
         "Number of packets marked with the EBP (End of Bad Packet) delimiter received on the port."),
        ("port_receive_switch_relay_errors_total", "port_rcv_switch_relay_errors",
         "Number of packets that could not be forwarded by the switch."),
        ("symbol_error_total", "symbol_error", "Number of minor link errors detected on one or more physical lanes."),
        ("vl15_dropped_total", "VL15_dropped", "Number of incoming VL15 packets dropped due to resource limitations."),
    ]

    /// The same from counters_ext/, which older drivers (mlx4) keep beside counters/.
    static let legacyCounters: [(metric: String, file: String, help: String)] = [
        ("legacy_multicast_packets_received_total", "port_multicast_rcv_packets", "Number of multicast packets received"),
        ("legacy_multicast_packets_transmitted_total", "port_multicast_xmit_packets", "Number of multicast packets transmitted"),
        ("legacy_data_received_bytes_total", "port_rcv_data_64", "Number of data octets received on all links"),
        ("legacy_packets_received_total", "port_rcv_packets_64", "Number of data packets received on all links"),
        ("legacy_unicast_packets_received_total", "port_unicast_rcv_packets", "Number of unicast packets received"),
        ("legacy_unicast_packets_transmitted_total", "port_unicast_xmit_packets", "Number of unicast packets transmitted"),
        ("legacy_data_transmitted_bytes_total", "port_xmit_data_64", "Number of data octets transmitted on all links"),
        ("legacy_packets_transmitted_total", "port_xmit_packets_64", "Number of data packets received on all links"),
    ]

    private static let wordCounters: Set<String> = ["port_rcv_data", "port_xmit_data", "port_rcv_data_64", "port_xmit_data_64"]

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/infiniband")
        guard let devices = try FileReading.directoryEntries(atPath: root) else { return }
        for device in devices {
            let directory = root + "/" + device
            // Not every driver has a board id or an HCA type (rxe, siw): absent labels.
            metrics.gauge(
                "node_infiniband_info", "Non-numeric data from /sys/class/infiniband/<device>, value is always 1.", 1,
                [
                    "device": device, "board_id": try SysfsValue.optionalText(directory + "/board_id") ?? "",
                    "firmware_version": try SysfsValue.optionalText(directory + "/fw_ver") ?? "",
                    "hca_type": try SysfsValue.optionalText(directory + "/hca_type") ?? "",
                ])
            let portsDirectory = directory + "/ports"
            guard let ports = try FileReading.directoryEntries(atPath: portsDirectory) else {
                throw ParseError(file: portsDirectory, line: 0, "expected the ports directory of InfiniBand device \(device)")
            }
            for port in ports.sorted(by: { (UInt32($0) ?? .max, $0) < (UInt32($1) ?? .max, $1) }) {
                guard UInt32(port) != nil, port.allSatisfy(\.isNumber) else {
                    throw ParseError(file: portsDirectory + "/" + port, line: 0, "expected a port number as the directory name")
                }
                try collectPort(device: device, port: port, directory: portsDirectory + "/" + port, into: &metrics)
            }
        }
    }

    private func collectPort(device: String, port: String, directory: String, into metrics: inout MetricsBuilder) throws {
        let labels: KeyValuePairs<String, String> = ["device": device, "port": port]
        let stateFile = directory + "/state"
        let state = try Self.stateID(FileReading.string(atPath: stateFile), file: stateFile)
        let physicalFile = directory + "/phys_state"
        let physical = try Self.stateID(FileReading.string(atPath: physicalFile), file: physicalFile)
        let rateFile = directory + "/rate"
        let rate = try Self.bytesPerSecond(FileReading.string(atPath: rateFile), file: rateFile)
        metrics.gauge(
            "node_infiniband_state_id",
            "State of the InfiniBand port (0: no change, 1: down, 2: init, 3: armed, 4: active, 5: act defer)", Double(state), labels)
        metrics.gauge(
            "node_infiniband_physical_state_id",
            "Physical state of the InfiniBand port (0: no change, 1: sleep, 2: polling, 3: disable, 4: shift, 5: link up, 6: link error recover, 7: phytest)",
            Double(physical), labels)
        metrics.gauge("node_infiniband_rate_bytes_per_second", "Maximum signal transfer rate", rate, labels)
        for (subdirectory, counters) in [("counters_ext", Self.legacyCounters), ("counters", Self.counters)] {
            for counter in counters {
                let file = directory + "/" + subdirectory + "/" + counter.file
                guard let text = try SysfsValue.optionalText(file), let value = try Self.counter(text, file: file) else { continue }
                let scaled = Self.wordCounters.contains(counter.file) ? Double(value) * 4 : Double(value)
                metrics.counter("node_infiniband_" + counter.metric, counter.help, scaled, labels)
            }
        }
    }

    /// `4: ACTIVE` → 4 (state and phys_state).
    static func stateID(_ text: String, file: String) throws(ParseError) -> UInt32 {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let id = parts.first.map { $0.trimmingSpaces } ?? ""
        guard parts.count == 2, id.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt32(id) else {
            throw ParseError(file: file, line: 1, "expected '<id>: <NAME>', found '\(text.prefix(40))'")
        }
        return value
    }

    /// `100 Gb/sec (4X EDR)` → 12.5e9 bytes per second (the kernel always writes Gb/sec).
    static func bytesPerSecond(_ text: String, file: String) throws(ParseError) -> Double {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, fields[0].allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let gigabits = Double(fields[0])
        else {
            throw ParseError(file: file, line: 1, "expected '<number> Gb/sec …', found '\(text.prefix(40))'")
        }
        // Whole bytes, as node_exporter reports them.
        return (gigabits * 125_000_000).rounded(.down)
    }

    /// A counter in decimal; nil for `N/A (no PMA)`, a port without a performance management
    /// agent (older mlx4 firmware), whose counters are then left out.
    static func counter(_ text: String, file: String) throws(ParseError) -> UInt64? {
        if text.contains("N/A (no PMA)") { return nil }
        let value = text.trimmingSpaces
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let parsed = UInt64(value) else {
            throw ParseError(file: file, line: 1, "expected a decimal counter, found '\(text.prefix(40))'")
        }
        return parsed
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and newlines.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
        return String(String(self.drop(while: isSpace)).reversed().drop(while: isSpace).reversed())
    }
}
