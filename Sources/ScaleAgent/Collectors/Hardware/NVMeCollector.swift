/// NVMe controllers from /sys/class/nvme under node_exporter's `nvme` name: one info series
/// per controller with model, serial, firmware and state (`live`, or `resetting`, `dead` when
/// the drive is failing). Skipped where there is none.
public struct NVMeCollector: Collector {
    public let name = "nvme"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/nvme")
        guard let devices = try FileReading.directoryEntries(atPath: root) else { return }
        for device in devices {
            var values: [String: String] = [:]
            // All four are required, as in node_exporter: a controller without them is not one.
            for file in ["firmware_rev", "model", "serial", "state"] {
                let text = try FileReading.string(atPath: root + "/" + device + "/" + file)
                values[file] = String(text.drop(while: { $0 == " " }).droppingTrailingNewlinesAndSpaces())
            }
            metrics.gauge(
                "node_nvme_info", "Non-numeric data from /sys/class/nvme/<device>, value is always 1.", 1,
                [
                    "device": device, "firmware_revision": values["firmware_rev"] ?? "", "model": values["model"] ?? "",
                    "serial": values["serial"] ?? "", "state": values["state"] ?? "",
                ])
        }
    }
}
