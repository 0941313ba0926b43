import MetricStore
import NIOConcurrencyHelpers

/// The machine's firmware identity from /sys/class/dmi/id under node_exporter's `dmi` name:
/// one `node_dmi_info` series labelled by what the firmware provides (serials only when
/// readable, which needs root). Skipped where there is no DMI (ARM boards, some VMs).
///
/// Read by the first collection that succeeds and kept, as node_exporter reads it once at
/// start: the firmware's identity does not change while the system runs, and probing twenty
/// files that a VM lacks cost every collection twenty failed opens.
public struct DMICollector: Collector {
    public let name = "dmi"
    private let paths: HostPaths
    private let identity = NIOLockedValueBox<[Label]?>(nil)

    public init(paths: HostPaths) { self.paths = paths }

    /// sysfs file → label; `sys_vendor` is node_exporter's `system_vendor`.
    static let attributes: [(file: String, label: String)] = [
        ("bios_date", "bios_date"), ("bios_release", "bios_release"), ("bios_vendor", "bios_vendor"),
        ("bios_version", "bios_version"), ("board_asset_tag", "board_asset_tag"), ("board_name", "board_name"),
        ("board_serial", "board_serial"), ("board_vendor", "board_vendor"), ("board_version", "board_version"),
        ("chassis_asset_tag", "chassis_asset_tag"), ("chassis_serial", "chassis_serial"),
        ("chassis_vendor", "chassis_vendor"), ("chassis_version", "chassis_version"),
        ("product_family", "product_family"), ("product_name", "product_name"), ("product_serial", "product_serial"),
        ("product_sku", "product_sku"), ("product_uuid", "product_uuid"), ("product_version", "product_version"),
        ("sys_vendor", "system_vendor"),
    ]

    public func collect(into metrics: inout MetricsBuilder) throws {
        let labels: [Label]
        if let kept = identity.withLockedValue({ $0 }) {
            labels = kept
        } else {
            labels = try readIdentity()
            identity.withLockedValue { $0 = labels }
        }
        guard !labels.isEmpty else { return }
        metrics.add(
            "node_dmi_info",
            "A metric with a constant '1' value labeled by bios_date, bios_release, bios_vendor, bios_version, board_asset_tag, board_name, board_serial, board_vendor, board_version, chassis_asset_tag, chassis_serial, chassis_vendor, chassis_version, product_family, product_name, product_serial, product_sku, product_uuid, product_version, system_vendor if provided by DMI.",
            .gauge, 1, labels: Labels(labels))
    }

    private func readIdentity() throws(FileReadError) -> [Label] {
        let root = paths.sys("class/dmi/id")
        var labels: [Label] = []
        for (file, label) in Self.attributes {
            if let value = try SysfsValue.optionalText(root + "/" + file) { labels.append(Label(label, value)) }
        }
        return labels
    }
}
