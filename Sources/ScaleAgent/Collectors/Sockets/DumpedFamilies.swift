/// Which address families the sockets collector asks sock_diag for. Each dump walks the
/// kernel's whole TCP hash table (both families share it, and on a large host it has hundreds
/// of thousands of buckets): that walk was half the collector's cost per family. A family whose
/// sockstat line shows no TCP socket in use — IPv6 on many hosts — has nothing to find, so it is
/// not dumped. `inuse` counts listening and connected sockets, not TIME_WAIT, which the
/// collector does not ask for either.
enum DumpedFamilies {
    /// From the text of /proc/net/sockstat and sockstat6 (nil: absent). A file that is absent
    /// means the kernel has no such family; one that cannot be read as expected is dumped, so
    /// a kernel whose format changed loses no socket.
    static func families(sockstat: String?, sockstat6: String?) -> [SockDiagMessage.Family] {
        var families: [SockDiagMessage.Family] = []
        if let sockstat, tcpInUse(sockstat, label: "TCP") != 0 { families.append(.inet) }
        if let sockstat6, tcpInUse(sockstat6, label: "TCP6") != 0 { families.append(.inet6) }
        return families
    }

    /// The `inuse` count of the line labelled `label`; nil when there is none to read.
    static func tcpInUse(_ text: String, label: String) -> Int? {
        guard let lines = try? SockstatCollector.parse(text, file: "sockstat"),
            let line = lines.first(where: { $0.label == label })
        else { return nil }
        return line.values.first { $0.key == "inuse" }?.value
    }
}
