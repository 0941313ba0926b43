import AlertEngine
import Logging
import MetricStore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// The daemon: collects on a schedule, stores, evaluates rules, serves HTTP, reloads its
/// config on SIGHUP (or `POST /-/reload`) and reports its state to systemd.
///
/// `run()` opens what the parts depend on (the store, the listener) and then runs each
/// long-running part as a service of one `ServiceGroup`, in dependency order: the store's
/// writer, the log followers, the PostgreSQL connections, the collections, the rules, the
/// reloads, the HTTP server, and systemd's watchdog. SIGTERM, SIGINT or `/-/quit` stops them
/// in reverse: nothing is served or collected any more when the last rule writes land, and the
/// writer syncs the WAL last.
public final class Agent: Sendable {
    private let configFile: String?
    private let overrides: ConfigOverrides
    private let logger: Logger
    private let system: any HostSystem
    private let notifier = SystemdNotifier()
    private let requests = HTTPRequestCounter()
    private let security = WebSecurityCounters()
    private let connections: HTTPConnectionTable
    private let reloads = ReloadStatus()
    private let resources = CollectorResources()
    /// The check-in jobs' records; the data directory cannot change on reload, so neither does it.
    private let checkIns: CheckInStore
    private let state: NIOLockedValueBox<Running>
    private let snapshots: SnapshotSource
    /// Set once the store is open, before the first scheduled collection.
    private let storeWriter = NIOLockedValueBox<StoreWriter?>(nil)
    /// Set with the store; evaluates the configured rule files against it.
    private let ruleScheduler = NIOLockedValueBox<RuleScheduler?>(nil)
    /// Set with the rule scheduler; delivers what its alerts become.
    private let alertNotifier = NIOLockedValueBox<Notifier?>(nil)
    /// Set at the start, before the listener is bound.
    private let http = NIOLockedValueBox<HTTPServer?>(nil)
    /// Set at the start, before the listener is bound: `/-/quit` stops it.
    private let serviceGroup = NIOLockedValueBox<ServiceGroup?>(nil)
    private let reloadQueue = ReloadQueue()

    /// What a reload replaces, swapped as one unit.
    private struct Running {
        var config: AgentConfig
        var runner: CollectorRunner
    }

    /// How long a stop waits for collectors and log readers that are still running before it
    /// names them in the log and goes on; well inside the unit's `TimeoutStopSec`.
    static let stopTimeout: Duration = .seconds(5)

    public init(
        config: AgentConfig, configFile: String?, overrides: ConfigOverrides, logger: Logger,
        system: any HostSystem = LinuxHostSystem()
    ) {
        self.configFile = configFile
        self.overrides = overrides
        self.logger = logger
        self.system = system
        self.connections = HTTPConnectionTable(logger: logger)
        self.checkIns = CheckInStore(directory: config.dataDirectory, logger: logger)
        let runner = Self.makeRunner(config, system: system, resources: resources, checkIns: checkIns, logger: logger)
        let state = NIOLockedValueBox(Running(config: config, runner: runner))
        self.state = state
        let (requests, connections, security) = (self.requests, self.connections, self.security)
        let reloads = self.reloads
        let storeWriter = self.storeWriter
        let ruleScheduler = self.ruleScheduler
        let alertNotifier = self.alertNotifier
        self.snapshots = SnapshotSource {
            let runner = state.withLockedValue { $0.runner }
            // A host's collectors report about 300 families.
            var metrics = MetricsBuilder(reservingFamilies: 512)
            await runner.collectAll(into: &metrics)
            requests.report(into: &metrics)
            security.report(into: &metrics)
            connections.report(into: &metrics)
            reloads.report(into: &metrics)
            storeWriter.withLockedValue { $0 }?.report(into: &metrics)
            ruleScheduler.withLockedValue { $0 }?.report(into: &metrics)
            alertNotifier.withLockedValue { $0 }?.report(into: &metrics)
            return metrics.build()
        }
    }

    private var config: AgentConfig { state.withLockedValue { $0.config } }

    /// Where the HTTP server listens once started (with the port the system chose when 0 was asked).
    var httpAddress: SocketAddress? { http.withLockedValue { $0 }?.localAddress }

    /// Runs until SIGTERM, SIGINT or `/-/quit`; throws if the agent cannot start (a broken rule file,
    /// a store it cannot open, an address it cannot bind).
    public func run() async throws {
        let config = self.config
        // Rule files are part of the config: a broken one stops the start, as a broken config does.
        let ruleGroups = try AgentRuleFiles.load(config.rules, configFile: configFile)
        let webConfig = try config.web.configFile.map { (file) throws(ConfigError) in try WebConfigLoader.load(file: file) } ?? .none
        try DataDirectory.prepare(config.dataDirectory)
        checkIns.open()
        checkIns.register(config.checkins.jobs)
        let writer = try await StoreWriter.open(directory: config.dataDirectory, settings: config.storage, logger: logger)
        storeWriter.withLockedValue { $0 = writer }
        let readers = ReaderPool(threads: Self.readerThreads, maxQueued: 64)
        let rules = RuleScheduler(store: writer.store, sink: writer, pool: readers, logger: logger)
        rules.apply(ruleGroups, context: NotifierConfiguration(config).templateContext)
        rules.apply(windowStart: config.query.windowStart)
        ruleScheduler.withLockedValue { $0 = rules }
        let silences = SilenceStore(directory: config.dataDirectory, logger: logger)
        silences.open()
        let delivery = Notifier(
            configuration: NotifierConfiguration(config), dataDirectory: config.dataDirectory, alerts: { rules.alerts },
            logger: logger, silences: silences)
        delivery.open()
        alertNotifier.withLockedValue { $0 = delivery }
        let server = makeHTTPServer(
            web: config.web, webConfig: webConfig, api: makeAPI(store: writer.store, readers: readers, rules: rules), silences: silences,
            notifiedAlerts: AlertmanagerAlertsEndpoint(alerts: { delivery.listedAlerts(at: $0) }, now: { UnixTime.nowMilliseconds() }))
        http.withLockedValue { $0 = server }
        let services = self.services(writer: writer, rules: rules, readers: readers, delivery: delivery, http: server)
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        serviceGroup.withLockedValue { $0 = group }
        do {
            try await server.listen(at: config.listenAddress)
        } catch {
            // Leave the store synced and unlocked for whoever starts next.
            await readers.shutdown()
            await writer.close()
            await delivery.stop()
            await server.stop(within: .zero)
            throw error
        }
        logger.info(
            "scalewatch agent started",
            metadata: [
                "listen_address": "\(server.boundAddress ?? config.listenAddress)", "data_dir": "\(EchoedValue(config.dataDirectory))",
                "collectors": "\(state.withLockedValue { $0.runner.collectors.map(\.name) }.joined(separator: ","))",
            ])

        _ = await snapshots.refresh()
        notifier.ready(status: "serving on \(server.boundAddress ?? config.listenAddress)")
        try await group.run()
    }

    /// The agent's services in start order; they stop in reverse.
    private func services(
        writer: StoreWriter, rules: RuleScheduler, readers: ReaderPool, delivery: Notifier, http: HTTPServer
    ) -> [AgentService] {
        let (logger, resources, notifier) = (self.logger, self.resources, self.notifier)
        var services = [
            AgentService("store writer", work: { await writer.runMaintenance() }, stop: { await writer.close() }),
            AgentService("log followers", stop: {
                let stuck = await resources.logFollowers.stopAll(within: Self.stopTimeout)
                if !stuck.isEmpty {
                    logger.warning(
                        "log readers did not stop in time; they resume from their last saved position",
                        metadata: ["collectors": "\(stuck.joined(separator: ","))"])
                }
            }),
            AgentService("postgres connections", stop: { await resources.postgresMonitors.shutdown(within: Self.stopTimeout) }),
            AgentService("collections", work: { await self.collectOnSchedule() }, stop: {
                let runner = self.state.withLockedValue { $0.runner }
                let stuck = await runner.shutdown(within: Self.stopTimeout)
                if !stuck.isEmpty {
                    logger.warning(
                        "collectors stuck in a system call at shutdown; not waiting for them",
                        metadata: ["collectors": "\(stuck.joined(separator: ","))"])
                }
            }),
            // In-flight evaluations finish their writes before the writer closes.
            AgentService("rules", work: { await rules.run() }, stop: { await readers.shutdown() }),
            // Reads the rules' alerts; stops before them, its outbox saved while the store is still open.
            AgentService("notifier", work: { await delivery.run() }, stop: { await delivery.stop() }),
            AgentService("reloads", work: { await self.reloadOnHangup() }),
            // Stops accepting, closes idle keep-alive connections at once and waits for
            // requests in flight (a `/-/quit` gets its answer), then closes what is left.
            AgentService("http", stop: { await http.stop(within: Self.stopTimeout) }),
        ]
        // Last, so that it stops first: systemd learns at once that the stop has begun.
        let watchdog = notifier.watchdogInterval()
        services.append(
            AgentService(
                "systemd",
                work: { if let watchdog { await self.pingWatchdog(every: watchdog) } else { await AgentService.idle() } },
                stop: {
                    notifier.stopping()
                    logger.info("scalewatch agent stopping")
                }))
        return services
    }

    private func makeHTTPServer(
        web: WebSettings, webConfig: WebConfig, api: PrometheusAPI, silences: SilenceStore, notifiedAlerts: AlertmanagerAlertsEndpoint
    ) -> HTTPServer {
        let lifecycle = LifecycleActions(
            reload: { await self.reload() },
            quit: {
                self.logger.info("shutdown requested over HTTP (/-/quit)")
                let group = self.serviceGroup.withLockedValue { $0 }
                Task { await group?.triggerGracefulShutdown() }
            })
        let endpoints = AgentEndpoints(
            snapshots: snapshots, scrapeMaxAge: { [state] in state.withLockedValue { $0.config.scrapeMaxAge } },
            lifecycle: lifecycle, api: api, silences: silences, notifiedAlerts: notifiedAlerts,
            checkIns: CheckInEndpoints(store: checkIns, settings: { [state] in state.withLockedValue { $0.config.checkins } }))
        return HTTPServer(
            endpoints: endpoints, requests: requests, connections: connections, web: web, webConfig: webConfig, security: security,
            logger: logger)
    }

    private func makeAPI(store: Store, readers: ReaderPool, rules: RuleScheduler) -> PrometheusAPI {
        let (state, reloads, configFile) = (self.state, self.reloads, self.configFile)
        let started = UnixTime.nowMilliseconds()
        let status = AgentStatus(
            runtime: {
                let (successful, lastSuccess) = reloads.current
                let retention = state.withLockedValue { $0.config.storage.retentionTime }
                return AgentStatus.Runtime(
                    startTimeMilliseconds: started, reloadConfigSuccess: successful,
                    lastConfigTimeMilliseconds: Int64(lastSuccess * 1000),
                    storageRetention: PrometheusDuration.format(milliseconds: retention.milliseconds),
                    workingDirectory: AgentFlags.workingDirectory)
            },
            flags: { AgentFlags.list(state.withLockedValue { $0.config }, configFile: configFile) },
            configText: { configFile.flatMap { try? FileReading.string(atPath: $0) } ?? "" })
        return PrometheusAPI(
            store: store, readers: readers, settings: { state.withLockedValue { $0.config.query } }, snapshots: snapshots,
            status: status, externalLabels: { state.withLockedValue { $0.config.rules.externalLabels } }, logger: logger,
            rules: rules, events: { [resources] in resources.logFollowers.recentEvents() })
    }

    /// Collections at the configured interval, aligned to a fixed schedule so that a slow
    /// collection does not push every later one back.
    private func collectOnSchedule() async {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled {
            let snapshot = await snapshots.refresh()
            storeWriter.withLockedValue { $0 }?.append(snapshot)
            let interval = config.collectionInterval
            next += interval
            if next < clock.now { next = clock.now + interval }
            try? await Task.sleep(until: next, clock: clock)
        }
    }

    /// Pings only while collections keep completing: if the collection pipeline wedges, the
    /// pings stop and systemd restarts the agent, which is what `WatchdogSec=` is for.
    private func pingWatchdog(every interval: Duration) async {
        while !Task.isCancelled {
            let config = self.config
            let allowedAge = config.collectionInterval * 3 + config.collectorTimeout
            if let latest = snapshots.latest, latest.age() <= allowedAge {
                notifier.watchdogPing()
            } else {
                logger.error("no collection completed recently; withholding the watchdog ping")
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func reloadOnHangup() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            await reload()
        }
    }

    /// Applies the config file again, after any reload under way: SIGHUP and `/-/reload` take
    /// turns, each starting from what the one before left.
    @discardableResult
    func reload() async -> Result<Void, any Error> {
        await reloadQueue.run { await self.applyReload() }
    }

    /// Applies a new config only when all of it is valid and the new address (if it changed)
    /// could be bound; otherwise logs why, keeps running with the old one and returns why.
    private func applyReload() async -> Result<Void, any Error> {
        notifier.reloading()
        defer { notifier.ready(status: "serving on \(config.listenAddress)") }
        let old = config
        let new: AgentConfig
        let ruleGroups: [CompiledRuleGroup]
        let webConfig: WebConfig
        do {
            new = try ConfigLoader.load(file: configFile, overrides: overrides)
            guard new.dataDirectory == old.dataDirectory else {
                throw DataDirectoryChange(from: old.dataDirectory, to: new.dataDirectory)
            }
            ruleGroups = try AgentRuleFiles.load(new.rules, configFile: configFile)
            // Read again even when unchanged: a reload is also how to insist on a re-read.
            webConfig = try new.web.configFile.map { (file) throws(ConfigError) in try WebConfigLoader.load(file: file) } ?? .none
            if new.listenAddress != old.listenAddress {
                // Bound before anything is applied; the old listener stops once this succeeds.
                try await http.withLockedValue { $0 }?.listen(at: new.listenAddress)
            }
        } catch {
            reloads.record(success: false)
            logger.error("config reload failed; keeping the running config", metadata: ["error": "\(error)"])
            return .failure(error)
        }
        checkIns.register(new.checkins.jobs)
        let runner = Self.makeRunner(new, system: system, resources: resources, checkIns: checkIns, logger: logger)
        let oldRunner = state.withLockedValue { running in
            let previous = running.runner
            running.config = new
            running.runner = runner
            return previous
        }
        http.withLockedValue { $0 }?.apply(web: new.web, webConfig: webConfig)
        storeWriter.withLockedValue { $0 }?.updateRetention(new.storage)
        ruleScheduler.withLockedValue { $0 }?.apply(ruleGroups, context: NotifierConfiguration(new).templateContext)
        ruleScheduler.withLockedValue { $0 }?.apply(windowStart: new.query.windowStart)
        alertNotifier.withLockedValue { $0 }?.apply(NotifierConfiguration(new))
        // A stuck collector may hold one of the old runner's threads indefinitely; do not wait.
        Task.detached { _ = await oldRunner.shutdown(within: .seconds(300)) }
        reloads.record(success: true)
        let bound = http.withLockedValue { $0 }?.boundAddress ?? new.listenAddress
        logger.info("config reloaded", metadata: ["listen_address": "\(bound)"])
        return .success(())
    }

    /// Rule evaluation and queries: half the cores, at least one, so that collection and
    /// `/metrics` always have a core.
    static var readerThreads: Int { max(1, System.coreCount / 2) }

    private static func makeRunner(
        _ config: AgentConfig, system: any HostSystem, resources: CollectorResources, checkIns: CheckInStore, logger: Logger
    ) -> CollectorRunner {
        var settings = config.collectors
        if settings.sockets.connectionsMaxAge == nil { settings.sockets.connectionsMaxAge = config.collectionInterval }
        let host = CollectorCatalog.make(
            settings: settings, paths: config.paths, system: system, logger: logger,
            dataDirectory: config.dataDirectory, resources: resources)
        let checkInJobs: [any Collector] = config.checkins.jobs.isEmpty ? [] : [CheckInCollector(settings: config.checkins, store: checkIns)]
        return CollectorRunner(
            collectors: host + [ProcessSelfCollector()] + checkInJobs, timeout: config.collectorTimeout, logger: logger)
    }
}

/// The store stays open on its directory for the agent's lifetime; moving it is a restart.
struct DataDirectoryChange: Error, CustomStringConvertible {
    let from: String
    let to: String
    var description: String { "data_dir cannot change on reload (\(from) → \(to)); restart the agent to move the store" }
}

/// Prometheus' own reload metrics, so the same alert (`…_last_reload_successful == 0`) works.
final class ReloadStatus: Sendable {
    private let state = NIOLockedValueBox<(successful: Bool, lastSuccess: Double)>((true, UnixTime.nowSeconds()))

    func record(success: Bool) {
        state.withLockedValue { state in
            state.successful = success
            if success { state.lastSuccess = UnixTime.nowSeconds() }
        }
    }

    /// Whether the last reload succeeded, and when the last one that did (Unix seconds).
    var current: (successful: Bool, lastSuccess: Double) { state.withLockedValue { $0 } }

    func report(into metrics: inout MetricsBuilder) {
        let (successful, lastSuccess) = current
        metrics.gauge(
            "scalewatch_config_last_reload_successful", "Whether the last configuration reload attempt was successful.",
            successful ? 1 : 0)
        metrics.gauge(
            "scalewatch_config_last_reload_success_timestamp_seconds", "Timestamp of the last successful configuration reload.",
            lastSuccess)
    }
}
