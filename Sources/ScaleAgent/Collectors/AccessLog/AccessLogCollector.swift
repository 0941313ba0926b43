import Logging

/// Request counts, sizes and latency histograms from nginx and HAProxy access logs, under
/// prometheus-nginxlog-exporter's names (`nginx_http_response_count_total{method,status}`, …)
/// so that its dashboards work, plus `vhost` and `upstream` labels where configured.
///
/// Each source has a follower thread (`LogFollower` with a `LogFileReader`, as the PostgreSQL
/// log collector): it tails the files through rename and copy-truncate rotation and parses
/// each line into the source's `AccessLogTally`; `collect` only renders the counters. Positions
/// are saved under `DATA_DIR/logs/access_logs.N.positions` for what was rendered, so a
/// restart neither loses nor counts a request twice.
public struct AccessLogCollector: Collector {
    public let name = "access_logs"
    private let settings: AccessLogSettings
    private let dataDirectory: String?
    private let logger: Logger
    private let registry: LogFollowerRegistry
    private let followers: [LazyLogFollower]

    public init(settings: AccessLogSettings, dataDirectory: String?, logger: Logger, registry: LogFollowerRegistry) {
        self.settings = settings
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.registry = registry
        followers = settings.sources.map { _ in LazyLogFollower() }
    }

    static func positionFileName(source index: Int) -> String { "logs/access_logs.\(index).positions" }

    public func collect(into metrics: inout MetricsBuilder) throws {
        guard !settings.sources.isEmpty else { return }
        var families = AccessLogFamilies()
        var failures: [String] = []
        var snapshots: [(AccessLogSource, LogFollower.Snapshot)] = []
        for index in settings.sources.indices {
            let follower = runningFollower(index)
            follower.waitUntilStarted(timeout: JournalCollector.startWait)
            snapshots.append((settings.sources[index], follower.snapshot()))
        }
        for (source, snapshot) in snapshots {
            if let error = snapshot.error { failures.append(error) }
            if let tally = snapshot.tally.accessLog { families.add(tally, namespace: source.namespace) }
        }
        families.render(into: &metrics)
        for (source, snapshot) in snapshots {
            let files = source.files.joined(separator: ",")
            metrics.counter(
                "scalewatch_access_log_lines_total", "Lines read from access logs, by source (its configured files).",
                snapshot.tally.accessLog?.lines ?? 0, ["source": files])
            for (key, count) in snapshot.tally.fileRotations.sorted(by: { ($0.key.file, $0.key.kind.rawValue) < ($1.key.file, $1.key.kind.rawValue) }) {
                metrics.counter(
                    "scalewatch_access_log_rotations_total",
                    "Rotations of access logs followed, by kind (rename, truncate: copy-truncate; lost: the rest of the old file could not be found).",
                    count, ["file": key.file, "kind": key.kind.rawValue])
            }
        }
        // The counters above stay reported: one unreadable source must not hide the others.
        if !failures.isEmpty { throw LogReadFailure(message: failures.joined(separator: "; ")) }
    }

    func runningFollower(_ index: Int) -> LogFollower {
        let source = settings.sources[index]
        return followers[index].get {
            registry.lease(name: "\(name).\(index)", configuration: "\(source) \(dataDirectory ?? "-")") { predecessor in
                let parser = AccessLogLineParser(format: source.format, vhostVariable: source.vhost.flatMap {
                    if case .variable(let name) = $0 { name } else { nil }
                })
                var tallySettings = AccessLogTally.Settings(buckets: source.buckets, maxVhosts: source.maxVhosts, maxUpstreams: source.maxUpstreams)
                if case .fixed(let vhost) = source.vhost { tallySettings.fixedVhost = vhost }
                let tally = LogTally(accessLog: AccessLogTally(parser: parser, settings: tallySettings))
                let patterns = source.files
                return LogFollower(
                    name: "\(name).\(index)", tally: tally,
                    positionFile: dataDirectory.map { LogPositionFile(path: $0 + "/" + Self.positionFileName(source: index)) },
                    logger: logger, predecessor: predecessor
                ) {
                    ([LogFileReader(patterns: patterns)], "files")
                }
            }
        }
    }
}
