@testable import ScaleAgent

/// A line of a PostgreSQL server log, in each format the log collector classifies: stderr
/// (`FATAL:  sorry, too many clients already`), jsonlog and csvlog.
struct PostgresLogFuzzTarget: FuzzTarget {
    let name = "PostgresLog"

    func run(_ bytes: [UInt8]) {
        let line = String(decoding: bytes, as: UTF8.self)
        _ = PostgresLogMessage.classifyFileLine(line)
        _ = PostgresLogMessage.classifyJSON(line[...])
        _ = PostgresLogMessage.classifyCSV(line[...])
    }
}
