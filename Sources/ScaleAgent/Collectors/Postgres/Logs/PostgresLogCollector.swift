import Logging

/// PostgreSQL's fatal errors from its own log files (Debian's PostgreSQL logs to
/// /var/log/postgresql/, not to the journal), the same kinds the journal collector counts:
/// `scalewatch_postgres_log_errors_total{kind,source="FILE"}`.
///
/// A follower thread tails the files through rename and copy-truncate rotation
/// (`LogFileReader`), saving device, inode, offset and a fingerprint per file under
/// `DATA_DIR/logs/`; `collect` only renders the counters. The agent must be able to read the
/// files (Debian: group `adm`).
public struct PostgresLogCollector: Collector {
    public let name = "postgres_logs"
    private let settings: PostgresLogSettings
    private let dataDirectory: String?
    private let logger: Logger
    private let registry: LogFollowerRegistry
    private let follower = LazyLogFollower()

    public init(settings: PostgresLogSettings, dataDirectory: String?, logger: Logger, registry: LogFollowerRegistry) {
        self.settings = settings
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.registry = registry
    }

    static let positionFileName = "logs/postgres_logs.positions"

    public func collect(into metrics: inout MetricsBuilder) throws {
        guard !settings.files.isEmpty else { return }
        let follower = runningFollower()
        follower.waitUntilStarted(timeout: JournalCollector.startWait)
        let snapshot = follower.snapshot()
        if let error = snapshot.error { throw LogReadFailure(message: error) }
        Self.render(snapshot, into: &metrics)
    }

    public func recentEvents() -> [NotableLogEvent] {
        guard !settings.files.isEmpty else { return [] }
        return runningFollower().snapshot().tally.recent.events
    }

    func runningFollower() -> LogFollower {
        follower.get {
            registry.lease(name: name, configuration: "\(settings) \(dataDirectory ?? "-")") { predecessor in
                let patterns = settings.files
                return LogFollower(
                    name: name, tally: LogTally(),
                    positionFile: dataDirectory.map { LogPositionFile(path: $0 + "/" + Self.positionFileName) },
                    logger: logger, predecessor: predecessor
                ) {
                    ([LogFileReader(patterns: patterns)], "files")
                }
            }
        }
    }

    static func render(_ snapshot: LogFollower.Snapshot, into metrics: inout MetricsBuilder) {
        let tally = snapshot.tally
        // Every followed file gets every kind, at 0 until it happens, so that rate() and
        // increase() see the first error.
        let files = snapshot.positions.keys.filter { $0.hasPrefix(LogFileReader.keyPrefix) }
            .map { String($0.dropFirst(LogFileReader.keyPrefix.count)) }
        var counts = tally.postgresErrors.counts
        for file in files {
            for kind in PostgresLogMessage.Kind.allCases where counts[LogTally.PostgresKey(kind: kind, source: file)] == nil {
                counts[LogTally.PostgresKey(kind: kind, source: file)] = 0
            }
        }
        JournalCollector.renderPostgresErrors(counts, into: &metrics)
        for file in Set(files).union(tally.fileLines.keys).sorted() {
            metrics.counter(
                "scalewatch_postgres_log_lines_total", "Lines read from the PostgreSQL log file.", tally.fileLines[file] ?? 0,
                ["source": file])
        }
        for (key, count) in tally.fileRotations.sorted(by: { ($0.key.file, $0.key.kind.rawValue) < ($1.key.file, $1.key.kind.rawValue) }) {
            metrics.counter(
                "scalewatch_postgres_log_rotations_total",
                "Rotations of the PostgreSQL log file followed, by kind (rename, truncate: copy-truncate; lost: the rest of the old file could not be found).",
                count, ["kind": key.kind.rawValue, "source": key.file])
        }
    }
}
