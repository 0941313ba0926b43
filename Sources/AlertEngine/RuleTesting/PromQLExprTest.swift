import MetricStore

/// `promql_expr_test`: an expression evaluated at one time and the samples it must return.
public struct PromQLExprTest: Sendable, Hashable {
    public var expr: LocatedText
    /// Milliseconds after the test's start.
    public var evalTime: Int64
    public var expectedSamples: [ExpectedSample]
    public var line: Int
    public var column: Int

    public init(expr: LocatedText, evalTime: Int64, expectedSamples: [ExpectedSample], line: Int = 0, column: Int = 0) {
        self.expr = expr
        self.evalTime = evalTime
        self.expectedSamples = expectedSamples
        self.line = line
        self.column = column
    }
}

/// One sample an expression must return; a scalar result is a sample with no labels.
public struct ExpectedSample: Sendable, Hashable {
    public var labels: Labels
    public var value: Double

    public init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }
}
