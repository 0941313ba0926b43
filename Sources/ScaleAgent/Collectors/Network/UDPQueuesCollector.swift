/// Bytes queued in UDP sockets, summed over /proc/net/udp and udp6, under node_exporter's
/// `udp_queues` name. A growing receive queue means a UDP server (DNS, statsd, syslog) reads
/// slower than it is sent to; the kernel drops what does not fit.
public struct UDPQueuesCollector: Collector {
    public let name = "udp_queues"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        for (file, ip) in [("net/udp", "v4"), ("net/udp6", "v6")] {
            let path = paths.proc(file)
            // Without IPv6 (or without UDP at all) the file is absent: skipped, as node_exporter does.
            guard let text = try FileReading.optionalString(atPath: path, longestRecord: Self.longestLine) else { continue }
            let queues = try Self.parse(text, file: path)
            let help = "Number of allocated memory in the kernel for UDP datagrams in bytes."
            metrics.gauge("node_udp_queues", help, queues.transmit, ["queue": "tx", "ip": ip])
            metrics.gauge("node_udp_queues", help, queues.receive, ["queue": "rx", "ip": ip])
        }
    }

    /// /proc/net/udp pads its lines to 128 bytes; udp6's are about 170: a bound with room.
    static let longestLine = 512

    struct Queues: Equatable {
        var transmit, receive: Double
    }

    /// A header, then one socket per line whose fifth column is `tx_queue:rx_queue` in
    /// hexadecimal: `   0: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 …`.
    static func parse(_ text: String, file: String) throws(ParseError) -> Queues {
        var queues = Queues(transmit: 0, receive: 0)
        for (index, line) in text.splitASCII(UInt8(ascii: "\n")).enumerated() {
            let columns = line.splitASCIIWhitespace()
            if index == 0 {
                guard columns.first == "sl" else { throw ParseError(file: file, line: 1, "expected a header starting with 'sl'") }
                continue
            }
            guard columns.count >= 5 else {
                throw ParseError(file: file, line: index + 1, "expected at least 5 columns, found \(columns.count)")
            }
            let pair = columns[4].splitASCII(UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard pair.count == 2, let tx = UInt64(pair[0], radix: 16), let rx = UInt64(pair[1], radix: 16) else {
                throw ParseError(file: file, line: index + 1, "expected 'tx_queue:rx_queue' in hexadecimal, found '\(columns[4])'")
            }
            queues.transmit += Double(tx)
            queues.receive += Double(rx)
        }
        return queues
    }
}
