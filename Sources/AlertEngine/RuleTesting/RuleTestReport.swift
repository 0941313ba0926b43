/// The outcome of one promtool-format test file, with failures worded as promtool words
/// them (expected against got), so that output from both tools reads alike.
public struct RuleTestReport: Sendable {
    public let file: String
    /// Warnings that do not fail the file, e.g. a `rule_files` pattern matching nothing.
    public var warnings: [String] = []
    public var failures: [String] = []

    public var passed: Bool { failures.isEmpty }

    /// promtool's layout: `Unit Testing:  FILE`, then `  SUCCESS` or `  FAILED:` and each
    /// failure.
    public var text: String {
        var lines = ["Unit Testing:  \(file)"]
        lines += warnings.map { "  WARNING: \($0)" }
        if passed {
            lines.append("  SUCCESS")
        } else {
            lines.append("  FAILED:")
            for failure in failures { lines += [failure, ""] }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
