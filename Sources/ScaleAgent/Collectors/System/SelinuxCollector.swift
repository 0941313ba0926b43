/// SELinux's state under node_exporter's `selinux` names: whether selinuxfs is mounted with an
/// `enforce` file, and if so the current mode (/sys/fs/selinux/enforce) and the configured one
/// (`SELINUX=` in /etc/selinux/config). Modes are numbered as libselinux does: enforcing 1,
/// permissive 0, disabled -1.
public struct SelinuxCollector: Collector {
    public let name = "selinux"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let enforceFile = paths.sys("fs/selinux/enforce")
        guard let enforce = try FileReading.optionalString(atPath: enforceFile) else {
            metrics.gauge("node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false", 0)
            return
        }
        metrics.gauge("node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false", 1)
        let configFile = paths.root("etc/selinux/config")
        let configured = try FileReading.optionalString(atPath: configFile).map { text throws(ParseError) in
            try Self.parseConfigMode(text, file: configFile)
        }
        // No config file: libselinux then reports the mode as disabled.
        metrics.gauge("node_selinux_config_mode", "Configured SELinux enforcement mode", configured ?? -1)
        metrics.gauge("node_selinux_current_mode", "Current SELinux enforcement mode", try Self.parseEnforce(enforce, file: enforceFile))
    }

    /// /sys/fs/selinux/enforce: `1` enforcing or `0` permissive.
    static func parseEnforce(_ text: String, file: String) throws(ParseError) -> Double {
        switch text.split(whereSeparator: { $0 == " " || $0 == "\n" }).first {
        case "1": 1
        case "0": 0
        default: throw ParseError(file: file, line: 1, "expected 1 (enforcing) or 0 (permissive), found '\(text.prefix(20))'")
        }
    }

    /// The `SELINUX=enforcing|permissive|disabled` line of /etc/selinux/config; comments and
    /// other keys are skipped. A file without the key reads as disabled, as libselinux does.
    static func parseConfigMode(_ text: String, file: String) throws(ParseError) -> Double {
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            guard trimmed.hasPrefix("SELINUX=") else { continue }
            let value = trimmed.dropFirst("SELINUX=".count).prefix(while: { $0 != " " && $0 != "\t" && $0 != "#" })
            switch value {
            case "enforcing": return 1
            case "permissive": return 0
            case "disabled": return -1
            default:
                throw ParseError(file: file, line: index + 1, "SELINUX: expected enforcing, permissive or disabled, found '\(value)'")
            }
        }
        return -1
    }
}
