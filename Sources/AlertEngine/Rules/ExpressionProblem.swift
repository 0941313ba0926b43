/// What an expression checker (the PromQL parser) found wrong with a rule's `expr`, at a
/// 1-based line and column of the expression text; the loader moves it to the file.
public struct ExpressionProblem: Error, Hashable, Sendable {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}
