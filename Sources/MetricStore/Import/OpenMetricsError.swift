/// Input that is not the OpenMetrics text `scalewatch import openmetrics` accepts: which file,
/// which 1-based line and column, and what was expected there.
public struct OpenMetricsError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
