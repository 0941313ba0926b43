import ArgumentParser
import ScaleAgent

struct SeriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series",
        abstract: "List the series that selectors select, on a running agent or in a data directory.",
        discussion: "Asks the agent's /api/v1/series (--url, default the local agent), or reads --data-dir read-only. Without --since or --start/--end, all time."
    )

    @Argument(help: "Series selectors, e.g. node_load1 or '{__name__=~\"pg_.*\"}'; a series any of them selects is listed.")
    var selectors: [String]

    @OptionGroup var source: QuerySourceOptions

    @OptionGroup var time: LookupTimeOptions

    @Option(name: .long, help: "table (default), json (Prometheus' HTTP API format) or csv.")
    var output: QueryOutputFormat = .table

    func validate() throws {
        if selectors.isEmpty { throw ValidationError("give at least one series selector, e.g. node_load1") }
    }

    func run() async throws {
        do {
            let (start, end) = try time.bounds(now: nowMilliseconds())
            let series = try await QueryCommands.series(selectors, start: start, end: end, from: try source.resolved())
            switch output {
            case .table: print(QueryResultTable.series(series))
            case .json: print(QueryResultJSON.series(series))
            case .csv: print(QueryResultCSV.series(series), terminator: "")
            }
        } catch {
            printError("series failed: \(error)")
            throw ExitCode.failure
        }
    }
}
