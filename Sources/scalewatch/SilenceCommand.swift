import ArgumentParser
import ScaleAgent

#if canImport(Glibc)
import Glibc
#endif

/// `scalewatch silence add|query|expire`, as `amtool silence`.
struct SilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Add, list and expire a running agent's silences.",
        subcommands: [Add.self, Query.self, Expire.self]
    )

    struct AgentOptions: ParsableArguments {
        @Option(name: .long, help: "The agent's base URL, e.g. http://127.0.0.1:9470.")
        var url: String?

        @Option(name: .long, help: "The agent's config file, for its listen_address.")
        var config: String?

        func resolved() throws -> String { try AlertsCommands.agentURL(url: url, configFile: config) }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Silence the alerts the matchers match (alertname=X job=~\"a|b\"); prints its id.")

        @Argument(help: "Matchers in Alertmanager's syntax.")
        var matchers: [String]

        @Option(name: [.short, .long], help: "Why (required).")
        var comment: String

        @Option(name: [.short, .long], help: "Who. Default: $USER.")
        var author: String?

        @Option(name: [.short, .long], help: "How long, e.g. 1h or 30m.")
        var duration = "1h"

        @OptionGroup var agent: AgentOptions

        func run() async throws {
            let author = self.author ?? getenv("USER").map { String(cString: $0) } ?? "scalewatch"
            print(try await SilenceCommands.add(url: agent.resolved(), matchers: matchers, comment: comment, author: author, duration: duration))
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List active and pending silences (or expired ones), optionally filtered by matchers.")

        @Argument(help: "Matchers the silences' own matchers must satisfy.")
        var matchers: [String] = []

        @Flag(help: "Show expired silences instead.")
        var expired = false

        @OptionGroup var agent: AgentOptions

        func run() async throws {
            print(try await SilenceCommands.query(url: agent.resolved(), matchers: matchers, expired: expired), terminator: "")
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End silences now.")

        @Argument(help: "Silence ids.")
        var ids: [String]

        @OptionGroup var agent: AgentOptions

        func run() async throws {
            try await SilenceCommands.expire(url: agent.resolved(), ids: ids)
        }
    }
}
