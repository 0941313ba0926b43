#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MetricStore

/// Link state and properties of each interface from /sys/class/net/<device>/ under
/// node_exporter's `netclass` names: `node_network_up`, `node_network_info`, carrier, speed,
/// MTU and the rest. Dashboards key on `node_network_up` and speed to show saturation.
/// Skipped quietly without /sys/class/net, as node_exporter does.
///
/// Where /sys is the agent's own (the default root), one rtnetlink dump of every link stands
/// for 15 of the 22 files per device, which were most of this collector's cost; the other 7
/// (speed, duplex, flags, dormant, dev_id and the two assign types) have no rtnetlink
/// attribute, or one that differs (`flags`), and are still read. A device is taken from the
/// dump only when its sysfs `ifindex` is the dump's, so a /sys that shows another network
/// namespace's devices (a container's bind mount of the host's) is read whole, as are devices
/// the dump lacks, and everything when the dump fails.
public struct NetclassCollector: Collector {
    public let name = "netclass"
    private let paths: HostPaths
    private let deviceExclude: Pattern?

    private let readsRtnetlink: Bool

    /// `readsRtnetlink`: whether links are taken from an rtnetlink dump where they can be; by
    /// default where /sys is the agent's own.
    public init(paths: HostPaths, deviceExclude: Pattern? = nil, readsRtnetlink: Bool? = nil) {
        self.paths = paths
        self.deviceExclude = deviceExclude
        self.readsRtnetlink = readsRtnetlink ?? (paths.sysfs == "/sys")
    }

    /// sysfs attribute → node_exporter's family (`node_network_` + name) and type, in its order.
    static let numericAttributes: [(attribute: String, metric: String, type: MetricType)] = [
        ("addr_assign_type", "address_assign_type", .gauge),
        ("carrier", "carrier", .gauge),
        ("carrier_changes", "carrier_changes_total", .counter),
        ("carrier_up_count", "carrier_up_changes_total", .counter),
        ("carrier_down_count", "carrier_down_changes_total", .counter),
        ("dev_id", "device_id", .gauge),
        ("dormant", "dormant", .gauge),
        ("flags", "flags", .gauge),
        ("ifindex", "iface_id", .gauge),
        ("iflink", "iface_link", .gauge),
        ("link_mode", "iface_link_mode", .gauge),
        ("mtu", "mtu_bytes", .gauge),
        ("name_assign_type", "name_assign_type", .gauge),
        ("netdev_group", "net_dev_group", .gauge),
        ("speed", "speed_bytes", .gauge),
        ("tx_queue_len", "transmit_queue_length", .gauge),
        ("type", "protocol_type", .gauge),
    ]

    /// The text attributes that label `node_network_info`.
    static let infoAttributes = ["address", "broadcast", "duplex", "operstate", "ifalias"]

    /// Every attribute file read per device.
    private static let attributeFiles = numericAttributes.map(\.attribute) + infoAttributes
    /// The files rtnetlink has no attribute for (`flags` has one, but it is `dev_get_flags()`,
    /// not the device's own flags that sysfs shows).
    static let sysfsOnlyAttributes = ["addr_assign_type", "dev_id", "dormant", "duplex", "flags", "name_assign_type", "speed"]
    /// Per property, its family's full name, help and type, spelled once.
    private static let familyByMetric = Dictionary(
        uniqueKeysWithValues: numericAttributes.map {
            ($0.metric, (name: "node_network_" + $0.metric, help: "Network device property: " + $0.metric, type: $0.type))
        })

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("class/net")
        guard let entries = try FileReading.directoryEntries(atPath: root) else { return }
        let links = readsRtnetlink ? Self.linksByName() : [:]
        for device in entries where deviceExclude?.matches(device) != true {
            let directory = root + "/" + device
            // bonding_masters and the like are plain files beside the device links.
            guard Self.isDirectory(directory) else { continue }
            var attributes: [String: String]
            let files: [String]
            if let link = links[device], try Self.sysfsAgrees(with: link, directory: directory) {
                attributes = link.sysfsAttributes
                files = Self.sysfsOnlyAttributes
            } else {
                Self.dropKeptFilesIfRenamed(directory)
                attributes = Dictionary(minimumCapacity: Self.attributeFiles.count)
                files = Self.attributeFiles
            }
            for attribute in files {
                if let value = try Self.readAttribute(directory + "/" + attribute) { attributes[attribute] = value }
            }
            let interface = try Self.parse(device: device, attributes: attributes, directory: directory)
            Self.report(interface, into: &metrics)
        }
    }

    /// Every link of the agent's network namespace by name; empty when rtnetlink says no, or
    /// says something that does not parse (sysfs then answers for every device).
    static func linksByName() -> [String: LinkMessage.Link] {
        var links: [String: LinkMessage.Link] = [:]
        let dumped = Result { () throws(NetlinkError) in
            try NetlinkDump.run(protocol: netlinkRoute, requests: [(LinkMessage.dumpRequest(sequence: 1), 1)], timeout: .seconds(5)) {
                datagram, sequence throws(NetlinkError) in
                let batch = try LinkMessage.decode(datagram, sequence: sequence)
                for link in batch.links { links[link.name] = link }
                return batch.done
            }
        }
        if case .failure = dumped { return [:] }
        return links
    }

    static let netlinkRoute: Int32 = 0

    /// Whether `directory` is the link rtnetlink calls by its name: the same ifindex. A kept
    /// descriptor still names a device renamed since: when ifindex read afresh agrees, the
    /// device's kept files are dropped. When it disagrees too (a /sys of another namespace),
    /// they are kept, for the sysfs reading that follows.
    static func sysfsAgrees(with link: LinkMessage.Link, directory: String) throws(FileReadError) -> Bool {
        let file = directory + "/ifindex"
        if let kept = try readAttribute(file), Int32(trimmed(kept)) == link.index { return true }
        guard let fresh = try? FileReading.freshString(atPath: file), Int32(trimmed(fresh)) == link.index else { return false }
        PseudoFileCache.shared.forget(prefix: directory + "/")
        return true
    }

    struct Interface: Equatable {
        var device: String
        var info: [String: String]
        /// In `numericAttributes` order; attributes the device lacks are left out.
        var values: [Property]
    }

    struct Property: Equatable {
        /// node_exporter's family name without `node_network_`.
        var metric: String
        var value: Double
    }

    /// Attribute file contents (trailing newline included) to an interface. Numbers are
    /// decimal or, like `flags`, `0x` hexadecimal; `speed` is Mbit/s and becomes bytes per
    /// second, kept at -125000 for the kernel's "unknown" -1 as node_exporter keeps it.
    static func parse(device: String, attributes: [String: String], directory: String) throws(ParseError) -> Interface {
        var interface = Interface(device: device, info: [:], values: [])
        for attribute in infoAttributes {
            interface.info[attribute] = attributes[attribute].map(trimmed) ?? ""
        }
        for (attribute, metric, _) in numericAttributes {
            guard let raw = attributes[attribute] else { continue }
            let text = trimmed(raw)
            let parsed = text.hasPrefix("0x") ? Int64(text.dropFirst(2), radix: 16) : Int64(text)
            guard let number = parsed else {
                throw ParseError(file: directory + "/" + attribute, line: 1, "expected an integer, found '\(text.prefix(40))'")
            }
            interface.values.append(Property(metric: metric, value: attribute == "speed" ? Double(number) * 125_000 : Double(number)))
        }
        return interface
    }

    private static func report(_ interface: Interface, into metrics: inout MetricsBuilder) {
        let device = interface.device
        metrics.gauge(
            "node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.", interface.info["operstate"] == "up" ? 1 : 0,
            ["device": device])
        let info = interface.info
        metrics.gauge(
            "node_network_info", "Non-numeric data from /sys/class/net/<iface>, value is always 1.", 1,
            [
                "address": info["address"] ?? "", "broadcast": info["broadcast"] ?? "", "device": device,
                "duplex": info["duplex"] ?? "", "ifalias": info["ifalias"] ?? "", "operstate": info["operstate"] ?? "",
            ])
        let labels = Labels(["device": device])
        for property in interface.values {
            let metric = property.metric
            let family = familyByMetric[metric] ?? ("node_network_" + metric, "Network device property: " + metric, .gauge)
            metrics.add(family.name, family.help, family.type, property.value, labels: labels)
        }
    }

    private static func trimmed(_ text: String) -> String {
        String(text.droppingTrailingNewlinesAndSpaces())
    }

    /// An attribute's text, or nil where the kernel has none for this device: absent files,
    /// and the errors drivers return for attributes they do not implement or that mean
    /// nothing in the link's state (`speed` and `duplex` of a down link give EINVAL).
    static func readAttribute(_ path: String) throws(FileReadError) -> String? {
        do {
            return try FileReading.string(atPath: path)
        } catch {
            switch error.errno {
            case ENOENT, ENOTDIR, EINVAL, EACCES, EPERM, EOPNOTSUPP, ENODEV, EBUSY, ENXIO: return nil
            default: throw error
            }
        }
    }

    /// The attribute files are read through kept descriptors (`PseudoFileCache`), which follow
    /// a device, not its name. When the name now belongs to another device (renamed, and another
    /// renamed to this name), the kept descriptors name the old one: `ifindex` read afresh
    /// differs from `ifindex` read through the kept descriptor, and they are dropped.
    private static func dropKeptFilesIfRenamed(_ directory: String) {
        let file = directory + "/ifindex"
        guard let fresh = try? FileReading.freshString(atPath: file), let kept = try? FileReading.string(atPath: file),
            fresh != kept
        else { return }
        PseudoFileCache.shared.forget(prefix: directory + "/")
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
