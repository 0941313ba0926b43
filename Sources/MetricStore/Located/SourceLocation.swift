/// A place in a text file: the file as the user named it, and the 1-based line and column
/// (columns count Unicode scalars). Line and column 0 stand for the file as a whole, e.g. one
/// that cannot be read.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and compilers use.
    public var description: String { "\(file):\(line):\(column)" }
}
