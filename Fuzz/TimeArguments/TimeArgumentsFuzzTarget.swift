import AlertEngine
import ScaleAgent

/// The CLI's times and durations (`--time`, `--start`, `--end`, `--step`, `--since`), one per
/// line: `START\nEND\nSTEP`. Where all three parse, they go through the range query's own
/// checks as `scalewatch query --start --end --step` does, on an empty store.
struct TimeArgumentsFuzzTarget: FuzzTarget {
    let name = "TimeArguments"

    func run(_ bytes: [UInt8]) {
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = fields.first.flatMap { try? TimeArgument.parse($0) }
        let end = fields.count > 1 ? try? TimeArgument.parse(fields[1]) : nil
        for field in fields {
            _ = try? DurationArgument.milliseconds(parsing: field)
        }
        guard let start, let end, fields.count > 2, let step = try? DurationArgument.milliseconds(parsing: fields[2]) else { return }
        let engine = QueryEngine(source: MemorySampleSource(), defaultSubqueryStep: step)
        _ = try? engine.rangeQuery(.number(1), start: start, end: end, step: step)
    }
}
