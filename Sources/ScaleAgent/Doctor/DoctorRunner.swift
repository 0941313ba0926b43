import MetricStore

/// `scalewatch doctor`: runs every check group of a config at once, each within `checkTimeout`,
/// and returns their lines in a fixed order (PostgreSQL targets as listed, the store, the
/// unit, the receivers, the agent). A group that does not finish in time becomes one FAIL
/// line saying so; the others are not held up by it.
public struct DoctorRunner: Sendable {
    public var config: AgentConfig
    public var checkTimeout: Duration
    /// Where the shipped unit is looked for when none is installed.
    public var shippedUnit: String

    public init(config: AgentConfig, checkTimeout: Duration = .seconds(10), shippedUnit: String = "config/scalewatch.service") {
        self.config = config
        self.checkTimeout = checkTimeout
        self.shippedUnit = shippedUnit
    }

    /// The config the other commands would read: `--config`, else the installed one if it
    /// exists, else the defaults.
    public static func loadConfig(file: String?, installedConfigFile: String = DataDirectoryResolution.installedConfigFile) throws -> AgentConfig {
        if let file { return try ConfigLoader.load(file: file) }
        if PosixFileSystem().exists(installedConfigFile) { return try ConfigLoader.load(file: installedConfigFile) }
        return AgentConfig()
    }

    private struct Group: Sendable {
        var name: String
        var subject: String
        var work: @Sendable () async -> [DoctorCheck]
    }

    public func run() async -> [DoctorCheck] {
        let groups = self.groups()
        let limit = checkTimeout
        let results = await withTaskGroup(of: (Int, [DoctorCheck]).self) { tasks in
            for (index, group) in groups.enumerated() {
                tasks.addTask {
                    let checks = await DoctorDeadline.run(limit: limit, group.work)
                    return (index, checks ?? [
                        .fail(group.name, group.subject, "did not finish within \(limit.seconds) s", fix: "the server or path does not answer: see why it hangs")
                    ])
                }
            }
            var results = [[DoctorCheck]](repeating: [], count: groups.count)
            for await (index, checks) in tasks { results[index] = checks }
            return results
        }
        return results.flatMap { $0 }
    }

    private func groups() -> [Group] {
        var groups: [Group] = []
        for target in config.collectors.postgres.targets {
            groups.append(Group(name: "postgres", subject: target.serverLabel) { await PostgresDoctor.examine(target) })
        }
        let config = self.config
        groups.append(Group(name: StoreSpaceCheck.name, subject: config.dataDirectory) {
            await DoctorDeadline.blocking {
                do {
                    let facts = try StoreSpaceCheck.gather(dataDirectory: config.dataDirectory, storage: config.storage, host: LinuxHostSystem())
                    return [StoreSpaceCheck.check(facts)]
                } catch {
                    return [.fail(StoreSpaceCheck.name, config.dataDirectory, "cannot measure the file system: \(error)", fix: "create data_dir, or correct its path")]
                }
            }
        })
        let shipped = shippedUnit
        groups.append(Group(name: "agent.unit", subject: "scalewatch.service") {
            await DoctorDeadline.blocking {
                guard let unit = UnitLimitsCheck.readUnit(shipped: shipped) else {
                    return [.skip("agent.unit", "scalewatch.service", "no unit installed under /etc/systemd/system or /lib/systemd/system, and no \(shipped) here")]
                }
                let memTotal = (try? FileReading.string(atPath: "/proc/meminfo")).flatMap(PostgresDoctor.memTotalBytes) ?? 0
                return UnitLimitsCheck.check(unit, webMaxConnections: config.web.maxConnections, memTotal: memTotal)
            }
        })
        let endpoints = ReceiverProbe.endpoints(config.alerting)
        if endpoints.isEmpty { groups.append(Group(name: "alerting.receiver", subject: "") { [ReceiverProbe.none()] }) }
        let limit = checkTimeout
        for endpoint in endpoints {
            groups.append(Group(name: "alerting.receiver", subject: endpoint.url) {
                // Below the group's limit, so that the probe's own error (refused, TLS) is what is reported.
                let timeout = min(endpoint.timeout, limit * 0.8)
                do {
                    return [ReceiverProbe.check(endpoint, outcome: .success(try await ReceiverProbe.probe(endpoint, timeout: timeout)))]
                } catch let failure as ReceiverProbe.Failure {
                    return [ReceiverProbe.check(endpoint, outcome: .failure(failure))]
                } catch {
                    return [ReceiverProbe.check(endpoint, outcome: .failure(ReceiverProbe.Failure(description: "\(error)")))]
                }
            })
        }
        let url = AgentHealthCheck.url(config.listenAddress, https: false)
        groups.append(Group(name: AgentHealthCheck.name, subject: url) {
            let outcome = await AgentHealthCheck.probe(url: url, timeout: limit * 0.4)
            // A web config may have turned on TLS: the same address, asked over https.
            if case .failure = outcome, config.web.configFile != nil {
                let https = AgentHealthCheck.url(config.listenAddress, https: true)
                if case .success(let status) = await AgentHealthCheck.probe(url: https, timeout: limit * 0.4) {
                    return [AgentHealthCheck.check(url: https, outcome: .success(status))]
                }
            }
            return [AgentHealthCheck.check(url: url, outcome: outcome)]
        })
        return groups
    }
}
