import ArgumentParser
import ScaleAgent

struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "A full-screen view of a running agent: each scaling stage's key numbers, refreshed every interval.",
        discussion: "CPU busy and pressure, memory available, OOM kills, the largest services and processes, Postgres connections, lock waits, replication lag and firing alerts, from the agent's /api/v1/query. q or Ctrl-C quits."
    )

    @Option(name: .long, help: "The agent's base URL. Default: the agent at the listen_address of --config or of \(DataDirectoryResolution.installedConfigFile), else \(AgentConfig().listenAddress).")
    var url: String?

    @Option(name: .long, help: "The agent's config file, for its listen_address.")
    var config: String?

    @Option(name: .long, help: "Time between refreshes, e.g. 2s.")
    var interval: String = "2s"

    func validate() throws {
        let milliseconds = try parseDuration(interval, flag: "--interval")
        guard milliseconds >= 100, milliseconds <= 3_600_000 else { throw ValidationError("--interval: between 100ms and 1h, got '\(interval)'") }
    }

    func run() async throws {
        do {
            try await TopSession.run(
                agent: try AlertsCommands.agentURL(url: url, configFile: config),
                intervalMilliseconds: try parseDuration(interval, flag: "--interval"), intervalText: interval)
        } catch {
            printError("top failed: \(error)")
            throw ExitCode.failure
        }
    }
}
