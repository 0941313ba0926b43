import ArgumentParser
import ScaleAgent

struct AdviseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advise",
        abstract: "Which stage of the scaling path the system has reached: what is breaking, the evidence, a forecast and the usual next step.",
        discussion: """
            Reads the signatures seen in the window (the rule pack's alerts, the key series of every stage, recent events) from one or more \
            agents (--url, repeatable: the application hosts and the database host) or from a data directory, and reasons across them. \
            Without --url or --data-dir, the agent on this host. Exit status: 0 nothing is breaking (or only trends to watch), 1 something is, \
            2 a source could not be read (the others are still used). See docs/advise.md.
            """
    )

    @Option(name: .long, help: "An agent's base URL, e.g. http://db1:9470; repeat it for each host.")
    var url: [String] = []

    @Option(name: .long, help: "Read this data directory (read-only) instead of asking an agent.")
    var dataDir: String?

    @Option(name: .long, help: "Read the data_dir of this agent config (read-only) instead of asking an agent.")
    var config: String?

    @Option(name: .long, help: "How far back to look, e.g. 6h or 7d. Default: 24h.")
    var since: String = "24h"

    @Option(name: .long, help: "text (default) or json.")
    var output: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument {
        case text, json
    }

    func validate() throws {
        if !url.isEmpty && (dataDir != nil || config != nil) {
            throw ValidationError("--url reads running agents; --data-dir and --config read a store: give one of them")
        }
        _ = try parseDuration(since, flag: "--since")
    }

    func run() async throws {
        var sources: [AdviseSource] = []
        do {
            if url.isEmpty {
                switch try QuerySource.resolve(url: nil, dataDirectory: dataDir, configFile: config) {
                case .agent(let url): sources.append(.agent(url: url))
                case .dataDirectory(let directory): sources.append(try .dataDirectory(directory))
                }
            } else {
                sources = url.map { AdviseSource.agent(url: $0) }
            }
        } catch {
            printError("advise failed: \(error)")
            throw ExitCode(2)
        }
        defer { sources.forEach { $0.close() } }
        let window = AdviseWindow(since: try parseDuration(since, flag: "--since"), end: nowMilliseconds())
        let report = await Advisor.advise(sources, window: window)
        print(output == .json ? report.json : report.text, terminator: "")
        // The text names them itself; JSON on stdout is for machines, so say it on stderr too.
        if output == .json {
            for source in report.unreadable { printError("advise: could not read \(source.locationText): \(source.error ?? "")") }
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
