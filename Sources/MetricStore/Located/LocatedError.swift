/// Input refused at a place: which file, line and column, and what was expected there.
/// Every reader of a user's text file reports its mistakes as this type (OpenMetrics imports,
/// the agent's config, rule files and rule test files), so they all print alike:
/// `file:line:column: what was expected`.
public struct LocatedError: Error, Hashable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    /// What was expected there, without the location.
    public let message: String

    public init(at location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public init(file: String, line: Int, column: Int, _ message: String) {
        self.init(at: SourceLocation(file: file, line: line, column: column), message)
    }

    public var file: String { location.file }
    public var line: Int { location.line }
    public var column: Int { location.column }

    /// The same mistake `lines` further down, for text read in parts.
    public func shifted(byLines lines: Int) -> LocatedError {
        LocatedError(file: file, line: line + lines, column: column, message)
    }

    public var description: String { "\(location): \(message)" }
}
