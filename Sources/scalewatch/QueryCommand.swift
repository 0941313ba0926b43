import ArgumentParser
import ScaleAgent

#if canImport(Glibc)
import Glibc
#endif

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Evaluate a PromQL expression over a data directory.",
        discussion: "Opens the data directory read-only, so it works while the agent runs. An instant query by default (at --time, or now); a range query with --start, --end and --step."
    )

    @Argument(help: "The PromQL expression.")
    var expression: String

    @OptionGroup var store: DataDirectoryOption

    @Option(name: .long, parsing: .unconditional, help: "Evaluation time of an instant query: Unix seconds or RFC 3339. Default: now.")
    var time: String?

    @OptionGroup(title: "Range query") var range: TimeRangeOptions

    @Option(name: .long, help: "Step of a range query, e.g. 15s or 1m.")
    var step: String?

    @Option(name: .long, help: "table (default) or json (Prometheus' HTTP API format).")
    var output: OutputFormat = .table

    enum OutputFormat: String, ExpressibleByArgument {
        case table, json
    }

    private var isRange: Bool { range.start != nil || range.end != nil || step != nil }

    func validate() throws {
        _ = try TimeRangeOptions.parse(time, flag: "--time")
        if isRange {
            guard range.start != nil, range.end != nil, step != nil else {
                throw ValidationError("a range query needs --start, --end and --step together")
            }
            guard time == nil else { throw ValidationError("--time is for instant queries; a range query takes --start, --end and --step") }
            guard let step, let milliseconds = try? DurationArgument.milliseconds(parsing: step), milliseconds > 0 else {
                throw ValidationError("--step: expected a positive duration such as 15s or 1m, got '\(step ?? "")'")
            }
        }
    }

    func run() async throws {
        do {
            if isRange {
                let (start, end) = try range.milliseconds()
                let series = try QueryCommands.range(
                    expression, start: start!, end: end!,
                    step: DurationArgument.milliseconds(parsing: step!), dataDirectory: store.resolved())
                print(output == .json ? QueryResultJSON.range(series) : QueryResultTable.range(series))
            } else {
                let at = try time.map(TimeArgument.parse) ?? Self.now()
                let value = try QueryCommands.instant(expression, at: at, dataDirectory: store.resolved())
                print(output == .json ? QueryResultJSON.instant(value, at: at) : QueryResultTable.instant(value))
            }
        } catch {
            printError("query failed: \(error)")
            throw ExitCode.failure
        }
    }

    private static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
