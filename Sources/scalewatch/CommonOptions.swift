import ArgumentParser
import ScaleAgent

/// `--data-dir`, for every command that opens a store.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .long, help: "The data directory.")
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
