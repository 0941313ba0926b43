/// The kernel's entropy pool under node_exporter's `entropy` names. Since Linux 5.18 both are
/// fixed at 256 bits; on older kernels a starved pool blocks readers of /dev/random.
public struct EntropyCollector: Collector {
    public let name = "entropy"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let available = paths.proc("sys/kernel/random/entropy_avail")
        let poolSize = paths.proc("sys/kernel/random/poolsize")
        metrics.gauge(
            "node_entropy_available_bits", "Bits of available entropy.", try Self.parse(FileReading.string(atPath: available), file: available))
        metrics.gauge(
            "node_entropy_pool_size_bits", "Bits of entropy pool.", try Self.parse(FileReading.string(atPath: poolSize), file: poolSize))
    }

    /// One decimal number and a newline.
    static func parse(_ text: String, file: String) throws(ParseError) -> Double {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard fields.count == 1, let bits = UInt64(fields[0]) else {
            throw ParseError(file: file, line: 1, "expected a number of bits, found '\(text.prefix(40))'")
        }
        return Double(bits)
    }
}
