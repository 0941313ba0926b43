/// The kernel's identity from uname(2), under node_exporter's `uname` name.
public struct UnameCollector: Collector {
    public let name = "uname"
    private let system: any HostSystem

    public init(system: any HostSystem) { self.system = system }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let info = try system.uname()
        metrics.gauge(
            "node_uname_info", "Labeled system information as provided by the uname system call.", 1,
            [
                "domainname": info.domainname, "machine": info.machine, "nodename": info.nodename,
                "release": info.release, "sysname": info.sysname, "version": info.version,
            ])
    }
}
