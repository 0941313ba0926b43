import MetricStore
import Yams

/// Reads `agent.yml`. Unknown keys, wrong types and impossible values are refused with the
/// file, line and column, so a typo never silently falls back to a default. Each top-level
/// setting and each collector is read on its own, so one error does not hide the next: all
/// are reported together (within one setting, the first).
public enum ConfigLoader {
    /// Far beyond any real config; what a file named by mistake (`/dev/zero`, a log) may cost.
    static let maximumFileBytes = 16 << 20

    public static func load(file: String) throws(ConfigError) -> AgentConfig {
        let text: String
        do {
            text = try FileReading.string(atPath: file, maximumBytes: maximumFileBytes)
        } catch {
            throw ConfigError(file: file, line: 0, column: 0, "cannot read the config file: \(error)")
        }
        return try parse(text, file: file)
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> AgentConfig {
        let reader = YAMLReader(file: file, text: text)
        var config = AgentConfig()
        guard let root = try reader.compose() else { return config }
        let keys = [
            "listen_address", "data_dir", "collection_interval", "scrape_max_age", "collector_timeout", "paths",
            "collectors", "storage", "rule_files", "evaluation_interval", "external_labels", "disabled_alerts", "web",
            "alerting", "query", "checkins",
        ]
        var problems: [LocatedError] = []
        for (key, _, value) in try reader.entries(root, in: "the top level", allowed: keys, collecting: &problems) {
            do throws(ConfigError) {
                try parseSetting(key, value, reader, into: &config)
            } catch {
                problems.append(contentsOf: error.problems)
            }
        }
        if !problems.isEmpty { throw ConfigError(problems) }
        return config
    }

    private static func parseSetting(_ key: String, _ value: Node, _ reader: YAMLReader, into config: inout AgentConfig) throws(ConfigError) {
        switch key {
        case "listen_address":
            let text = try reader.string(value, key)
            switch ListenAddress.parse(text) {
            case .success(let address): config.listenAddress = address
            case .failure(let problem): throw reader.error(at: value, "listen_address: \(problem)")
            }
        case "data_dir":
            config.dataDirectory = try reader.string(value, key)
        case "collection_interval":
            config.collectionInterval = try reader.duration(value, key, in: AgentConfig.minimumCollectionInterval ... .seconds(86_400))
        case "scrape_max_age":
            config.scrapeMaxAge = try reader.duration(value, key, in: .zero ... .seconds(3_600))
        case "collector_timeout":
            config.collectorTimeout = try reader.duration(value, key, in: .milliseconds(1) ... .seconds(3_600))
        case "paths":
            config.paths = try parsePaths(value, reader)
        case "collectors":
            config.collectors = try parseCollectors(value, reader)
        case "storage":
            config.storage = try parseStorage(value, reader)
        case "rule_files":
            config.rules.files = try reader.strings(value, key)
        case "evaluation_interval":
            config.rules.evaluationInterval = try reader.duration(value, key, in: .seconds(1) ... .seconds(86_400))
        case "external_labels":
            config.rules.externalLabels = try reader.stringMap(value, key)
        case "disabled_alerts":
            config.rules.disabledAlerts = try RuleSettings.parseDisabledAlerts(value, reader)
        case "web":
            config.web = try WebSettings.parse(value, reader)
        case "alerting":
            config.alerting = try AlertingSettings.parse(value, reader)
        case "query":
            config.query = try QuerySettings.parse(value, reader)
        case "checkins":
            config.checkins = try CheckInSettings.parse(value, reader)
        default:
            preconditionFailure("BUG: key \(key) allowed but not handled")
        }
    }

    private static func parsePaths(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> HostPaths {
        var paths = HostPaths()
        for (key, _, value) in try reader.mapping(node, in: "paths", allowed: ["procfs", "sysfs", "rootfs", "udev_data"]) {
            let path = try reader.string(value, "paths.\(key)")
            guard path.hasPrefix("/") else { throw reader.error(at: value, "paths.\(key) must be an absolute path, got '\(EchoedValue(path))'") }
            switch key {
            case "procfs": paths.procfs = path
            case "sysfs": paths.sysfs = path
            case "udev_data": paths.udevData = path
            default: paths.rootfs = path
            }
        }
        return paths
    }

    private static func parseStorage(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> StorageSettings {
        var storage = StorageSettings()
        let keys = ["retention_time", "retention_size", "retention_filesystem_fraction", "wal_flush_interval"]
        for (key, _, value) in try reader.mapping(node, in: "storage", allowed: keys) {
            let qualified = "storage.\(key)"
            switch key {
            case "retention_time":
                storage.retentionTime = try reader.duration(value, qualified, in: .seconds(60) ... .seconds(100 * 365 * 86_400))
            case "retention_size":
                let text = try reader.string(value, qualified)
                guard let bytes = ByteSizeText.parse(text), bytes > 0 else {
                    throw reader.error(at: value, "\(qualified) must be a size such as 512MiB or 1GiB, got '\(EchoedValue(text))'")
                }
                storage.retentionSize = bytes
            case "retention_filesystem_fraction":
                let text = try reader.string(value, qualified)
                guard let fraction = Double(text), fraction > 0, fraction <= 1 else {
                    throw reader.error(at: value, "\(qualified) must be a number above 0 and at most 1, got '\(EchoedValue(text))'")
                }
                storage.retentionFileSystemFraction = fraction
            default:
                storage.walFlushInterval = try reader.duration(value, qualified, in: .milliseconds(10) ... .seconds(3_600))
            }
        }
        return storage
    }

    /// Options each collector accepts besides `enabled`.
    private static let collectorOptions: [String: [String]] = [
        "filesystem": ["mount_points_exclude", "fs_types_exclude", "stat_timeout"],
        "diskstats": ["device_exclude"],
        "netdev": ["device_exclude"],
        "netclass": ["device_exclude"],
        "textfile": ["directory"],
        "netstat": ["fields"],
        "vmstat": ["fields"],
    ].merging(CgroupSettings.options) { $1 }.merging(PostgresSettings.options) { $1 }
        .merging(["journal": JournalSettings.optionKeys, "postgres_logs": PostgresLogSettings.optionKeys]) { $1 }
        .merging(["sockets": SocketSettings.optionKeys, "nginx": NginxSettings.optionKeys, "access_logs": AccessLogSettings.optionKeys]) { $1 }

    private static func parseCollectors(_ node: Node, _ reader: YAMLReader) throws(ConfigError) -> CollectorSettings {
        var settings = CollectorSettings()
        var problems: [LocatedError] = []
        for (name, _, value) in try reader.entries(node, in: "collectors", allowed: CollectorSettings.allNames, collecting: &problems) {
            do throws(ConfigError) {
                try parseCollector(name, value, reader, into: &settings)
            } catch {
                problems.append(contentsOf: error.problems)
            }
        }
        if !problems.isEmpty { throw ConfigError(problems) }
        return settings
    }

    private static func parseCollector(_ name: String, _ value: Node, _ reader: YAMLReader, into settings: inout CollectorSettings) throws(ConfigError) {
        let section = "collectors.\(name)"
        // A collector is `true`, `false`, or a mapping of its options (plus `enabled`).
        guard case .mapping = value else {
            if try reader.bool(value, section) {
                settings.enabled.insert(name)
            } else {
                settings.enabled.remove(name)
            }
            return
        }
        // Listing a collector's options turns it on unless `enabled: false` says otherwise.
        settings.enabled.insert(name)
        let allowed = ["enabled"] + (collectorOptions[name] ?? [])
        for (key, _, option) in try reader.mapping(value, in: section, allowed: allowed) {
            let qualified = "\(section).\(key)"
            switch (name, key) {
            case (_, "enabled"):
                if !(try reader.bool(option, qualified)) { settings.enabled.remove(name) }
            case ("filesystem", "mount_points_exclude"):
                settings.filesystemMountPointsExclude = try reader.pattern(option, qualified)
            case ("filesystem", "fs_types_exclude"):
                settings.filesystemFSTypesExclude = try reader.pattern(option, qualified)
            case ("filesystem", "stat_timeout"):
                settings.filesystemStatTimeout = try reader.duration(option, qualified, in: .milliseconds(1) ... .seconds(3_600))
            case ("diskstats", "device_exclude"):
                settings.diskstatsDeviceExclude = try reader.pattern(option, qualified)
            case ("netdev", "device_exclude"):
                settings.netdevDeviceExclude = try reader.pattern(option, qualified)
            case ("textfile", "directory"):
                settings.textfileDirectory = try reader.string(option, qualified)
            case ("netclass", "device_exclude"):
                settings.netclassDeviceExclude = try reader.pattern(option, qualified)
            case ("netstat", "fields"):
                settings.netstatFields = try reader.pattern(option, qualified)
            case ("vmstat", "fields"):
                settings.vmstatFields = try reader.pattern(option, qualified)
            case ("cgroups", _), ("top_processes", _):
                try settings.cgroups.parse(collector: name, key: key, option, qualified, reader)
            case ("postgres", _):
                try settings.postgres.parse(key: key, option, qualified, reader)
            case ("journal", _):
                try JournalSettings.parse(key, option, qualified, reader, into: &settings.journal)
            case ("postgres_logs", _):
                try PostgresLogSettings.parse(key, option, qualified, reader, into: &settings.postgresLogs)
            case ("sockets", _):
                try SocketSettings.parse(key, option, qualified, reader, into: &settings.sockets)
            case ("nginx", _):
                try NginxSettings.parse(key, option, qualified, reader, into: &settings.nginx)
            case ("access_logs", _):
                try AccessLogSettings.parse(key, option, qualified, reader, into: &settings.accessLogs)
            default:
                preconditionFailure("BUG: option \(qualified) allowed but not handled")
            }
        }
    }
}
