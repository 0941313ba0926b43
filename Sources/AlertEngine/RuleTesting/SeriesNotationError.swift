/// A mistake in a rule test's `series`, `values` or `labels` string: what was expected, and
/// where, as a 0-based offset in Unicode scalars into the string.
public struct SeriesNotationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let message: String

    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    /// 1-based, for the one-line strings these always are in practice.
    public var column: Int { offset + 1 }

    public var description: String { "column \(column): \(message)" }
}
