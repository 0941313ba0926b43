import ArgumentParser
import Foundation
import ScaleAgent

#if canImport(Glibc)
import Glibc
#endif

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Evaluate a PromQL expression on a running agent or over a data directory.",
        discussion: """
            Asks the agent's /api/v1/query (--url, default the local agent), or opens --data-dir read-only, which works while the agent runs. \
            An instant query by default (at --time, or now); a range query with --since, or --start and --end; --step defaults to about 240 points.
            """
    )

    @Argument(help: "The PromQL expression.")
    var expression: String

    @OptionGroup var source: QuerySourceOptions

    @Option(name: .long, parsing: .unconditional, help: "Evaluation time of an instant query: Unix seconds or RFC 3339. Default: now.")
    var time: String?

    @Option(name: .long, help: "A range query over this long up to --end (or now), e.g. 1h.")
    var since: String?

    @OptionGroup(title: "Range query") var range: TimeRangeOptions

    @Option(name: .long, help: "Step of a range query, e.g. 15s or 1m. Default: the range / 240, at least 1s.")
    var step: String?

    @OptionGroup var windowStart: WindowStartOption

    @Option(name: .long, help: "table (default), json (Prometheus' HTTP API format) or csv.")
    var output: QueryOutputFormat = .table

    @Flag(
        inversion: .prefixedNo,
        help: "Draw a range result as a chart: one line per series with min, max and last. Default: on when stdout is a terminal and the result fits it.")
    var plot: Bool?

    private var isRange: Bool { since != nil || range.start != nil || range.end != nil || step != nil }

    func validate() throws {
        _ = try TimeRangeOptions.parse(time, flag: "--time")
        if isRange {
            guard time == nil else { throw ValidationError("--time is for instant queries; a range query takes --since or --start, --end and --step") }
            if let since { _ = try parseDuration(since, flag: "--since") }
            if let step { _ = try parseDuration(step, flag: "--step") }
            if since != nil && range.start != nil { throw ValidationError("--since and --start: give one of them") }
        }
        if plot == true && (!isRange || output != .table) {
            throw ValidationError("--plot draws a range query's result as a table's alternative: give --since or --start, and no --output json|csv")
        }
    }

    /// Explicitly asked, or on a terminal where the chart fits.
    private func plotting(fits: (TerminalSize) -> Bool) -> Bool {
        if let plot { return plot }
        guard TerminalSize.isTerminal(STDOUT_FILENO), let size = TerminalSize.of(STDOUT_FILENO) else { return false }
        return fits(size)
    }

    func run() async throws {
        do {
            let source = try self.source.resolved()
            if case .agent = source, windowStart.value != nil {
                throw ValidationError("--query.window-start applies to --data-dir and --config; an agent evaluates with its own query.window_start")
            }
            let windowStart = windowStart.value ?? .excluded
            if isRange {
                let (start, end) = try range.milliseconds()
                let window = try QueryWindow.resolve(
                    since: try since.map { try parseDuration($0, flag: "--since") }, start: start, end: end,
                    step: try step.map { try parseDuration($0, flag: "--step") }, now: nowMilliseconds())
                let series = try await QueryCommands.range(expression, start: window.start, end: window.end, step: window.step, from: source, windowStart: windowStart)
                switch output {
                case .table where plotting(fits: { TerminalChart.fits(series, columns: $0.columns, rows: $0.rows) }):
                    let width = TerminalSize.standardOutput(environment: ProcessInfo.processInfo.environment).columns
                    for line in TerminalChart.render(series, start: window.start, end: window.end, step: window.step, width: width) {
                        print(line)
                    }
                case .table: print(QueryResultTable.range(series))
                case .json: print(QueryResultJSON.range(series))
                case .csv: print(QueryResultCSV.range(series), terminator: "")
                }
            } else {
                let at = try time.map(TimeArgument.parse) ?? nowMilliseconds()
                let value = try await QueryCommands.instant(expression, at: at, from: source, windowStart: windowStart)
                switch output {
                case .table: print(QueryResultTable.instant(value))
                case .json: print(QueryResultJSON.instant(value, at: at))
                case .csv: print(QueryResultCSV.instant(value, at: at), terminator: "")
                }
            }
        } catch {
            printError("query failed: \(error)")
            throw ExitCode.failure
        }
    }
}
