import MetricStore

/// One mistake in a rule file or a rule test file: where (file, 1-based line and column; 0:0
/// when the file as a whole is at fault, e.g. unreadable) and what was expected there.
/// Printed as `file:line:column: message`, the form editors jump to.
public typealias RuleFileError = LocatedError

/// Every mistake found in one file, in file order. Like `promtool check rules`, the loaders
/// report them all rather than the first, so that one run is enough to fix a file.
public struct RuleFileErrors: Error, Hashable, Sendable, CustomStringConvertible {
    /// Never empty.
    public let errors: [RuleFileError]

    public init(_ errors: [RuleFileError]) {
        precondition(!errors.isEmpty, "BUG: RuleFileErrors without an error")
        // Stable: two errors at one place keep the order in which they were found.
        self.errors = errors.enumerated().sorted { lhs, rhs in
            (lhs.element.line, lhs.element.column, lhs.offset) < (rhs.element.line, rhs.element.column, rhs.offset)
        }.map(\.element)
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
