import ArgumentParser
import ScaleAgent

/// Where `query`, `series` and `labels` read: `--url`, `--data-dir` or `--config`; with none of
/// them, the agent on this host (see `QuerySource.resolve` for the precedence).
struct QuerySourceOptions: ParsableArguments {
    @Option(name: .long, help: "A running agent's base URL, e.g. http://127.0.0.1:9470. Default, when neither --data-dir nor --config is given: the agent at the listen_address of \(DataDirectoryResolution.installedConfigFile), else \(AgentConfig().listenAddress).")
    var url: String?

    @Option(name: .long, help: "Read this data directory (read-only) instead of asking the agent.")
    var dataDir: String?

    @Option(name: .long, help: "Read the data_dir of this agent config (read-only) instead of asking the agent.")
    var config: String?

    func validate() throws {
        if url != nil && (dataDir != nil || config != nil) {
            throw ValidationError("--url reads a running agent; --data-dir and --config read a store: give one of them")
        }
    }

    func resolved() throws -> QuerySource {
        try QuerySource.resolve(url: url, dataDirectory: dataDir, configFile: config)
    }
}

/// `--since`, `--start` and `--end` of `series` and `labels`: no bound where none is given.
struct LookupTimeOptions: ParsableArguments {
    @Option(name: .long, help: "Only series with samples in this long before --end (or now), e.g. 1h.")
    var since: String?

    @OptionGroup var range: TimeRangeOptions

    func validate() throws {
        if since != nil && range.start != nil { throw ValidationError("--since and --start: give one of them") }
        if let since { _ = try parseDuration(since, flag: "--since") }
    }

    /// Unix milliseconds; nil where unbounded.
    func bounds(now: Int64) throws -> (start: Int64?, end: Int64?) {
        let (start, end) = try range.milliseconds()
        if let since {
            let window = try QueryWindow.resolve(since: try parseDuration(since, flag: "--since"), start: nil, end: end, step: nil, now: now)
            return (window.start, window.end)
        }
        return (start, end)
    }
}

/// A positive duration argument in Prometheus' syntax, or a usage error naming the flag.
func parseDuration(_ text: String, flag: String) throws -> Int64 {
    guard let milliseconds = try? DurationArgument.milliseconds(parsing: text), milliseconds > 0 else {
        throw ValidationError("\(flag): expected a positive duration such as 15s, 5m or 1h, got '\(text)'")
    }
    return milliseconds
}

/// `--output` of `query`, `series` and `labels`.
enum QueryOutputFormat: String, ExpressibleByArgument {
    case table, json, csv
}
