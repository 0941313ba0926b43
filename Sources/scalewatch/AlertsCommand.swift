import ArgumentParser
import ScaleAgent

struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List a running agent's pending, firing, silenced and inhibited alerts.",
        discussion: "Reads the agent's /api/v1/alerts and /api/v2/alerts. Without --url, the agent at the listen_address of --config or of the installed config."
    )

    @Option(name: .long, help: "The agent's base URL, e.g. http://127.0.0.1:9470.")
    var url: String?

    @Option(name: .long, help: "The agent's config file, for its listen_address.")
    var config: String?

    @Option(name: .long, help: "table (default) or json.")
    var output: OutputFormat = .table

    enum OutputFormat: String, ExpressibleByArgument {
        case table, json
    }

    func run() async throws {
        let alerts = try await AlertsCommands.fetch(from: try AlertsCommands.agentURL(url: url, configFile: config))
        print(AlertsCommands.render(alerts, json: output == .json), terminator: "")
    }
}
