import MetricStore

/// A config file the agent refuses, with every mistake found in it: each names the file, the
/// 1-based line and column and what was expected there, and prints as `file:line:column:
/// message`, the form editors jump to. Reporting them all at once spares an operator one
/// restart per typo; the location and message of the first stand for the whole error.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// In file order; never empty.
    public let problems: [LocatedError]

    public init(_ problems: [LocatedError]) {
        precondition(!problems.isEmpty, "BUG: a config error without a problem")
        self.problems = problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    public init(_ problem: LocatedError) {
        problems = [problem]
    }

    public init(at location: SourceLocation, _ message: String) {
        self.init(LocatedError(at: location, message))
    }

    public init(file: String, line: Int, column: Int, _ message: String) {
        self.init(LocatedError(file: file, line: line, column: column, message))
    }

    public var location: SourceLocation { problems[0].location }
    public var file: String { location.file }
    public var line: Int { location.line }
    public var column: Int { location.column }
    public var message: String { problems[0].message }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
