import MetricStore
import Yams

/// Options of the `journal` collector (`collectors.journal` in agent.yml): the kernel log and
/// the journal, for OOM kills, unit failures and PostgreSQL errors.
public struct JournalSettings: Sendable, Equatable {
    /// Journal directories to read, each as `journalctl --directory` would. With neither these
    /// nor `files`, the host's own journal (under `paths.rootfs`), or /dev/kmsg where no journald
    /// runs.
    public var directories: [String] = []
    /// Journal files to read, as `journalctl --file` would.
    public var files: [String] = []
    /// Units with a series of their own in `scalewatch_journal_unit_entries_total`; the rest
    /// are `unit="other"`.
    public var unitsLimit = 20

    public init() {}

    static let optionKeys = ["directories", "files", "units_limit"]

    static func parse(
        _ key: String, _ node: Node, _ qualified: String, _ reader: YAMLReader, into settings: inout JournalSettings
    ) throws(ConfigError) {
        switch key {
        case "directories": settings.directories = try reader.logPathList(node, qualified, globs: false)
        case "files": settings.files = try reader.logPathList(node, qualified, globs: false)
        case "units_limit":
            settings.unitsLimit = try reader.integer(node, qualified, in: 0...1000)
        default:
            preconditionFailure("BUG: option \(qualified) allowed but not handled")
        }
    }
}

/// Options of the `postgres_logs` collector (`collectors.postgres_logs`): PostgreSQL log files
/// to tail for the database's fatal errors, since Debian's PostgreSQL logs to files, not to the
/// journal.
public struct PostgresLogSettings: Sendable, Equatable {
    /// Paths or glob patterns, e.g. `/var/log/postgresql/*.log`. None by default.
    public var files: [String] = []

    public init() {}

    static let optionKeys = ["files"]

    static func parse(
        _ key: String, _ node: Node, _ qualified: String, _ reader: YAMLReader, into settings: inout PostgresLogSettings
    ) throws(ConfigError) {
        switch key {
        case "files": settings.files = try reader.logPathList(node, qualified, globs: true)
        default: preconditionFailure("BUG: option \(qualified) allowed but not handled")
        }
    }
}

extension YAMLReader {
    /// A list of absolute paths (or glob patterns, if allowed) without tabs or newlines, which
    /// the saved log positions cannot hold.
    func logPathList(_ node: Node, _ key: String, globs: Bool) throws(ConfigError) -> [String] {
        var paths: [String] = []
        for item in try list(node, key, of: "paths") {
            let path = try string(item, key)
            guard path.hasPrefix("/") else { throw error(at: item, "\(key) must hold absolute paths, got '\(EchoedValue(path))'") }
            guard !path.contains("\t"), !path.contains("\n") else {
                throw error(at: item, "\(key): a path with a tab or newline is not supported")
            }
            if !globs, path.contains(where: { "*?[".contains($0) }) {
                throw error(at: item, "\(key): glob patterns are not supported here, got '\(EchoedValue(path))'")
            }
            paths.append(path)
        }
        return paths
    }
}
