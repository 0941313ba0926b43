/// Memory errors the ECC controllers counted, from /sys/devices/system/edac/mc under
/// node_exporter's `edac` names. Rising correctable errors announce a DIMM about to fail.
/// Errors the driver could not attribute to a csrow are under `csrow="unknown"`.
public struct EDACCollector: Collector {
    public let name = "edac"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("devices/system/edac/mc")
        for controller in try SysfsValue.numberedEntries(root, prefix: "mc") {
            let directory = root + "/" + controller.name
            let mc = controller.number
            metrics.counter(
                "node_edac_correctable_errors_total", "Total correctable memory errors.", try count(directory + "/ce_count"),
                ["controller": mc])
            metrics.counter(
                "node_edac_csrow_correctable_errors_total", "Total correctable memory errors for this csrow.",
                try count(directory + "/ce_noinfo_count"), ["controller": mc, "csrow": "unknown"])
            metrics.counter(
                "node_edac_uncorrectable_errors_total", "Total uncorrectable memory errors.", try count(directory + "/ue_count"),
                ["controller": mc])
            metrics.counter(
                "node_edac_csrow_uncorrectable_errors_total", "Total uncorrectable memory errors for this csrow.",
                try count(directory + "/ue_noinfo_count"), ["controller": mc, "csrow": "unknown"])
            for csrow in try SysfsValue.numberedEntries(directory, prefix: "csrow") {
                let rowDirectory = directory + "/" + csrow.name
                metrics.counter(
                    "node_edac_csrow_correctable_errors_total", "Total correctable memory errors for this csrow.",
                    try count(rowDirectory + "/ce_count"), ["controller": mc, "csrow": csrow.number])
                metrics.counter(
                    "node_edac_csrow_uncorrectable_errors_total", "Total uncorrectable memory errors for this csrow.",
                    try count(rowDirectory + "/ue_count"), ["controller": mc, "csrow": csrow.number])
            }
        }
    }

    /// A controller's counters are required, as in node_exporter: a controller without them
    /// is a driver problem worth a failed collection.
    private func count(_ path: String) throws -> Double {
        let value = try SysfsValue.integer(FileReading.string(atPath: path), file: path)
        guard value >= 0 else { throw ParseError(file: path, line: 1, "expected a count, found \(value)") }
        return Double(value)
    }
}
