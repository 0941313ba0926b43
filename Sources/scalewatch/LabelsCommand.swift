import ArgumentParser
import ScaleAgent

struct LabelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "List label names, or one label's values, on a running agent or in a data directory.",
        discussion: "Asks the agent's /api/v1/labels or /api/v1/label/NAME/values (--url, default the local agent), or reads --data-dir read-only."
    )

    @Argument(help: "A label name: list its values. Without one, the label names.")
    var name: String?

    @Option(name: .long, help: "Only series this selector selects (repeatable), e.g. --match node_load1.")
    var match: [String] = []

    @OptionGroup var source: QuerySourceOptions

    @OptionGroup var time: LookupTimeOptions

    @Option(name: .long, help: "table (default), json (Prometheus' HTTP API format) or csv.")
    var output: QueryOutputFormat = .table

    func run() async throws {
        do {
            let (start, end) = try time.bounds(now: nowMilliseconds())
            let values = try await QueryCommands.labels(name, matching: match, start: start, end: end, from: try source.resolved())
            switch output {
            case .table: print(QueryResultTable.strings(values))
            case .json: print(QueryResultJSON.strings(values))
            case .csv: print(QueryResultCSV.strings(values, header: name ?? "name"), terminator: "")
            }
        } catch {
            printError("labels failed: \(error)")
            throw ExitCode.failure
        }
    }
}
