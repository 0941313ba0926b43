import AlertEngine

/// What `scalewatch check rules` and `scalewatch test rules` do with one file, as promtool's
/// commands of the same names do.
public enum RuleCommands {
    /// A rule file that loaded, with its rules counted, or the problems that stopped it, each
    /// naming file, line and column.
    public struct FileCheck: Sendable {
        public var recordingRules = 0
        public var alertingRules = 0
        public var problems: [String] = []
        public var passed: Bool { problems.isEmpty }
    }

    public static func check(file: String) -> FileCheck {
        do {
            let groups = try RuleCompiler.load(paths: [file], defaultInterval: 60_000)
            return FileCheck(
                recordingRules: groups.reduce(0) { $0 + $1.recordingRuleCount },
                alertingRules: groups.reduce(0) { $0 + $1.alertingRuleCount })
        } catch {
            return FileCheck(problems: error.errors.map(\.description))
        }
    }

    /// A rule-test file's outcome and its report, in promtool's words.
    public struct TestOutcome: Sendable {
        public let passed: Bool
        public let report: String
    }

    public static func test(file: String, windowStart: WindowStart = .excluded) -> TestOutcome {
        let report = RuleTestRunner.run(file: file, windowStart: windowStart)
        return TestOutcome(passed: report.passed, report: report.text)
    }
}
