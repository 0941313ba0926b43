import ArgumentParser
import Logging
import ScaleAgent

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the daemon: collect, store, serve /metrics and evaluate alerts."
    )

    @Option(name: .long, help: "The agent's YAML config file. Without it, the built-in defaults apply.")
    var config: String?

    @Option(name: .long, help: "host:port to serve HTTP on; overrides listen_address in the config.")
    var listenAddress: String?

    @Option(name: .long, help: "Directory for the agent's store and state; overrides data_dir in the config.")
    var dataDir: String?

    @Flag(
        name: .customLong("web.enable-lifecycle"),
        help: "Serve POST|PUT /-/reload and /-/quit; overrides web.enable_lifecycle in the config.")
    var enableLifecycle = false

    @Option(
        name: .customLong("query.lookback-delta"),
        help: "How far back an instant selector looks for a sample (e.g. 5m); overrides query.lookback_delta in the config.")
    var lookbackDelta: String?

    @Option(
        name: .customLong("web.config.file"),
        help: "Web config file (exporter-toolkit format: TLS, basic auth, headers); overrides web.config_file in the config.")
    var webConfigFile: String?

    @OptionGroup var windowStart: WindowStartOption

    @Option(name: .long, help: "Minimum level of log lines: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if let listenAddress, case .failure(let problem) = ListenAddress.parse(listenAddress) {
            throw ValidationError("--listen-address: \(problem)")
        }
        if let lookbackDelta {
            do {
                guard try DurationArgument.milliseconds(parsing: lookbackDelta) > 0 else {
                    throw ValidationError("--query.lookback-delta must be positive, got '\(lookbackDelta)'")
                }
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError("--query.lookback-delta: \(error)")
            }
        }
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "scalewatch")
        var overrides = ConfigOverrides(
            listenAddress: listenAddress.flatMap { try? ListenAddress.parse($0).get() }, dataDirectory: dataDir,
            enableLifecycle: enableLifecycle,
            lookbackDelta: lookbackDelta.flatMap { try? DurationArgument.milliseconds(parsing: $0) }.map { .milliseconds($0) },
            webConfigFile: webConfigFile)
        overrides.windowStart = windowStart.value
        let agentConfig: AgentConfig
        do {
            agentConfig = try ConfigLoader.load(file: config, overrides: overrides)
        } catch {
            logger.critical("invalid config", metadata: ["error": "\(error)"])
            throw ExitCode(2)
        }
        let agent = Agent(config: agentConfig, configFile: config, overrides: overrides, logger: logger)
        do {
            try await agent.run()
        } catch {
            logger.critical("agent failed", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
