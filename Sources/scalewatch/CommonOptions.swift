import ArgumentParser
import ScaleAgent

/// `--data-dir` for the commands that read a store; without it, the `data_dir` of `--config`,
/// of the installed config, or the agent's default.
struct DataDirectoryOption: ParsableArguments {
    @Option(
        name: .long,
        help: "The data directory. Default: data_dir of --config, else of \(DataDirectoryResolution.installedConfigFile) if it exists, else \(AgentConfig().dataDirectory).")
    var dataDir: String?

    @Option(name: .long, help: "The agent's config file, for its data_dir.")
    var config: String?

    func resolved() throws -> String {
        try DataDirectoryResolution.resolve(dataDirectory: dataDir, configFile: config)
    }
}

/// `--data-dir` for `import`, which writes: named, never guessed.
struct WritableDataDirectoryOption: ParsableArguments {
    @Option(name: .long, help: "The data directory (created if missing).")
    var dataDir: String
}

/// `--start` and `--end`, as Unix seconds or RFC 3339; validated once, with the flag named in
/// the error.
struct TimeRangeOptions: ParsableArguments {
    // `.unconditional`, so that a time before 1970 can follow the flag: `--start -1`.
    @Option(name: .long, parsing: .unconditional, help: "Start time: Unix seconds or RFC 3339.")
    var start: String?

    @Option(name: .long, parsing: .unconditional, help: "End time: Unix seconds or RFC 3339.")
    var end: String?

    func validate() throws {
        _ = try milliseconds()
    }

    /// Both bounds in Unix milliseconds, nil where not given.
    func milliseconds() throws -> (start: Int64?, end: Int64?) {
        (try Self.parse(start, flag: "--start"), try Self.parse(end, flag: "--end"))
    }

    static func parse(_ value: String?, flag: String) throws -> Int64? {
        guard let value else { return nil }
        do {
            return try TimeArgument.parse(value)
        } catch {
            throw ValidationError("\(flag): \(error)")
        }
    }
}
