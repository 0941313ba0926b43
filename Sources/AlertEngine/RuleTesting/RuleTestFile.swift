/// A promtool rule unit-test file (`promtool test rules`): rule files to load and test
/// groups of input series with the alerts and query results expected from them.
public struct RuleTestFile: Sendable, Hashable {
    public var file: String
    /// The `rule_files` entries as written (relative to the test file, maybe globs).
    public var ruleFilePatterns: [LocatedText]
    /// The rule files they name: relative paths joined to the test file's directory, globs
    /// expanded, sorted per pattern, each file once.
    public var ruleFiles: [String]
    /// Patterns that matched no file; promtool warns about them and carries on.
    public var unmatchedRuleFilePatterns: [String]
    /// Milliseconds between rule evaluations; 1m unless set.
    public var evaluationInterval: Int64
    /// Whether floats that differ only in their last bit count as equal.
    public var fuzzyCompare: Bool
    /// Groups to evaluate first, in this order; the others follow.
    public var groupEvalOrder: [String]
    public var tests: [RuleTestGroup]

    public static let defaultEvaluationInterval: Int64 = 60_000

    public init(
        file: String, ruleFilePatterns: [LocatedText] = [], ruleFiles: [String] = [], unmatchedRuleFilePatterns: [String] = [],
        evaluationInterval: Int64 = defaultEvaluationInterval, fuzzyCompare: Bool = false, groupEvalOrder: [String] = [],
        tests: [RuleTestGroup] = []
    ) {
        self.file = file
        self.ruleFilePatterns = ruleFilePatterns
        self.ruleFiles = ruleFiles
        self.unmatchedRuleFilePatterns = unmatchedRuleFilePatterns
        self.evaluationInterval = evaluationInterval
        self.fuzzyCompare = fuzzyCompare
        self.groupEvalOrder = groupEvalOrder
        self.tests = tests
    }
}
