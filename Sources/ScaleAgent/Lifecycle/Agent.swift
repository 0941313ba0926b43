import AlertEngine
import Logging
import MetricStore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// The daemon: collects on a schedule, stores, evaluates rules, serves HTTP, reloads its
/// config on SIGHUP and reports its state to systemd.
///
/// `run()` opens what the parts depend on (the store, the listener) and then runs each
/// long-running part as a service of one `ServiceGroup`, in dependency order: the store's
/// writer, the log followers, the PostgreSQL connections, the collections, the rules, the
/// reloads, the HTTP server, and systemd's watchdog. SIGTERM or SIGINT stops them in reverse:
/// nothing is served or collected any more when the last rule writes land, and the writer
/// syncs the WAL last.
public final class Agent: Sendable {
    private let configFile: String?
    private let overrides: ConfigOverrides
    private let logger: Logger
    private let system: any HostSystem
    private let notifier = SystemdNotifier()
    private let requests = HTTPRequestCounter()
    private let reloads = ReloadStatus()
    private let resources = CollectorResources()
    private let state: NIOLockedValueBox<Running>
    private let snapshots: SnapshotSource
    /// Set once the store is open, before the first scheduled collection.
    private let storeWriter = NIOLockedValueBox<StoreWriter?>(nil)
    /// Set with the store; evaluates the configured rule files against it.
    private let ruleScheduler = NIOLockedValueBox<RuleScheduler?>(nil)

    /// What a reload replaces, swapped as one unit.
    private struct Running {
        var config: AgentConfig
        var runner: CollectorRunner
        var server: HTTPServer?
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
        let runner = Self.makeRunner(config, system: system, resources: resources, logger: logger)
        let state = NIOLockedValueBox(Running(config: config, runner: runner, server: nil))
        self.state = state
        let requests = self.requests
        let reloads = self.reloads
        let storeWriter = self.storeWriter
        let ruleScheduler = self.ruleScheduler
        self.snapshots = SnapshotSource {
            let runner = state.withLockedValue { $0.runner }
            var metrics = MetricsBuilder()
            metrics.append(contentsOf: await runner.collectAll())
            requests.report(into: &metrics)
            reloads.report(into: &metrics)
            storeWriter.withLockedValue { $0 }?.report(into: &metrics)
            ruleScheduler.withLockedValue { $0 }?.report(into: &metrics)
            return metrics.build()
        }
    }

    private var config: AgentConfig { state.withLockedValue { $0.config } }

    /// Runs until SIGTERM or SIGINT; throws if the agent cannot start (a broken rule file,
    /// a store it cannot open, an address it cannot bind).
    public func run() async throws {
        let config = self.config
        // Rule files are part of the config: a broken one stops the start, as a broken config does.
        let ruleGroups = try AgentRuleFiles.load(config.rules, configFile: configFile)
        try DataDirectory.prepare(config.dataDirectory)
        let writer = try await StoreWriter.open(directory: config.dataDirectory, settings: config.storage, logger: logger)
        storeWriter.withLockedValue { $0 = writer }
        let readers = ReaderPool(threads: Self.readerThreads, maxQueued: 64)
        let rules = RuleScheduler(store: writer.store, sink: writer, pool: readers, logger: logger)
        rules.apply(ruleGroups, externalLabels: config.rules.externalLabels)
        ruleScheduler.withLockedValue { $0 = rules }
        let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))
        let server: HTTPServer
        do {
            server = try await startServer(at: config.listenAddress, on: eventLoops)
        } catch {
            // Leave the store synced and unlocked for whoever starts next.
            await readers.shutdown()
            await writer.close()
            try? await eventLoops.shutdownGracefully()
            throw error
        }
        state.withLockedValue { $0.server = server }
        logger.info(
            "scalewatch agent started",
            metadata: [
                "listen_address": "\(config.listenAddress)", "data_dir": "\(config.dataDirectory)",
                "collectors": "\(state.withLockedValue { $0.runner.collectors.map(\.name) }.joined(separator: ","))",
            ])

        _ = await snapshots.refresh()
        notifier.ready(status: "serving on \(config.listenAddress)")

        let services = self.services(writer: writer, rules: rules, readers: readers, eventLoops: eventLoops)
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try? await eventLoops.shutdownGracefully()
    }

    /// The agent's services in start order; they stop in reverse.
    private func services(writer: StoreWriter, rules: RuleScheduler, readers: ReaderPool, eventLoops: any EventLoopGroup) -> [AgentService] {
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
            AgentService("reloads", work: { await self.reloadOnHangup(eventLoops: eventLoops) }),
            AgentService("http", stop: { await self.state.withLockedValue { $0.server }?.stop() }),
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

    private func startServer(at address: ListenAddress, on eventLoops: any EventLoopGroup) async throws -> HTTPServer {
        let routes = AgentRoutes(snapshots: snapshots, requests: requests) { [state] in
            state.withLockedValue { $0.config.scrapeMaxAge }
        }
        do {
            return try await HTTPServer.start(at: address, responder: routes, group: eventLoops)
        } catch {
            throw ListenFailure(address: address, underlying: error)
        }
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

    private func reloadOnHangup(eventLoops: any EventLoopGroup) async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            await reload(eventLoops: eventLoops)
        }
    }

    /// Applies a new config only when all of it is valid and the new address (if it changed)
    /// could be bound; otherwise logs why and keeps running with the old one.
    func reload(eventLoops: any EventLoopGroup) async {
        notifier.reloading()
        defer { notifier.ready(status: "serving on \(config.listenAddress)") }
        let old = config
        let new: AgentConfig
        let ruleGroups: [CompiledRuleGroup]
        do {
            new = try ConfigLoader.load(file: configFile, overrides: overrides)
            guard new.dataDirectory == old.dataDirectory else {
                throw DataDirectoryChange(from: old.dataDirectory, to: new.dataDirectory)
            }
            ruleGroups = try AgentRuleFiles.load(new.rules, configFile: configFile)
        } catch {
            reloads.record(success: false)
            logger.error("config reload failed; keeping the running config", metadata: ["error": "\(error)"])
            return
        }
        var newServer: HTTPServer?
        if new.listenAddress != old.listenAddress {
            do {
                newServer = try await startServer(at: new.listenAddress, on: eventLoops)
            } catch {
                reloads.record(success: false)
                logger.error("config reload failed; keeping the running config", metadata: ["error": "\(error)"])
                return
            }
        }
        let runner = Self.makeRunner(new, system: system, resources: resources, logger: logger)
        let (oldRunner, oldServer) = state.withLockedValue { running in
            let previous = (running.runner, newServer != nil ? running.server : nil)
            running.config = new
            running.runner = runner
            if let newServer { running.server = newServer }
            return previous
        }
        await oldServer?.stop()
        storeWriter.withLockedValue { $0 }?.updateRetention(new.storage)
        ruleScheduler.withLockedValue { $0 }?.apply(ruleGroups, externalLabels: new.rules.externalLabels)
        // A stuck collector may hold one of the old runner's threads indefinitely; do not wait.
        Task.detached { _ = await oldRunner.shutdown(within: .seconds(300)) }
        reloads.record(success: true)
        logger.info("config reloaded", metadata: ["listen_address": "\(new.listenAddress)"])
    }

    /// Rule evaluation and queries: half the cores, at least one, so that collection and
    /// `/metrics` always have a core.
    static var readerThreads: Int { max(1, System.coreCount / 2) }

    private static func makeRunner(
        _ config: AgentConfig, system: any HostSystem, resources: CollectorResources, logger: Logger
    ) -> CollectorRunner {
        let host = CollectorCatalog.make(
            settings: config.collectors, paths: config.paths, system: system, logger: logger,
            dataDirectory: config.dataDirectory, resources: resources)
        return CollectorRunner(collectors: host + [ProcessSelfCollector()], timeout: config.collectorTimeout, logger: logger)
    }
}

/// The store stays open on its directory for the agent's lifetime; moving it is a restart.
struct DataDirectoryChange: Error, CustomStringConvertible {
    let from: String
    let to: String
    var description: String { "data_dir cannot change on reload (\(from) → \(to)); restart the agent to move the store" }
}

public struct ListenFailure: Error, CustomStringConvertible {
    public let address: ListenAddress
    public let underlying: any Error
    public var description: String { "cannot listen on \(address): \(underlying)" }
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

    func report(into metrics: inout MetricsBuilder) {
        let (successful, lastSuccess) = state.withLockedValue { $0 }
        metrics.gauge(
            "scalewatch_config_last_reload_successful", "Whether the last configuration reload attempt was successful.",
            successful ? 1 : 0)
        metrics.gauge(
            "scalewatch_config_last_reload_success_timestamp_seconds", "Timestamp of the last successful configuration reload.",
            lastSuccess)
    }
}
