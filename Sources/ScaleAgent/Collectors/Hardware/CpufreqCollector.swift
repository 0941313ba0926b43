#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// CPU clock frequencies from /sys/devices/system/cpu/cpuN/cpufreq/ under node_exporter's
/// `cpufreq` names, in hertz (the files say kHz). A CPU held at its minimum by a power
/// governor or thermal limit runs everything slower. Skipped where there is no cpufreq
/// (most virtual machines); `cpuinfo_cur_freq` is root's to read and left out otherwise.
public struct CpufreqCollector: Collector {
    public let name = "cpufreq"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    static let files: [(file: String, metric: String, help: String)] = [
        ("cpuinfo_cur_freq", "node_cpu_frequency_hertz", "Current cpu thread frequency in hertz."),
        ("cpuinfo_min_freq", "node_cpu_frequency_min_hertz", "Minimum cpu thread frequency in hertz."),
        ("cpuinfo_max_freq", "node_cpu_frequency_max_hertz", "Maximum cpu thread frequency in hertz."),
        ("scaling_cur_freq", "node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz."),
        ("scaling_min_freq", "node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz."),
        ("scaling_max_freq", "node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz."),
    ]

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("devices/system/cpu")
        for cpu in try SysfsValue.numberedEntries(root, prefix: "cpu") {
            let directory = root + "/" + cpu.name + "/cpufreq"
            // One failed lookup for a CPU without cpufreq (most VMs), not six.
            guard access(directory, F_OK) == 0 else { continue }
            for (file, metric, help) in Self.files {
                let path = directory + "/" + file
                guard let text = try SysfsValue.optionalText(path) else { continue }
                metrics.gauge(metric, help, try Self.hertz(text, file: path), ["cpu": cpu.number])
            }
        }
    }

    /// A frequency file: kHz, as an unsigned integer.
    static func hertz(_ text: String, file: String) throws(ParseError) -> Double {
        let kilohertz = try SysfsValue.integer(text, file: file)
        guard kilohertz >= 0 else { throw ParseError(file: file, line: 1, "expected a frequency in kHz, found \(kilohertz)") }
        return Double(kilohertz) * 1000
    }
}
