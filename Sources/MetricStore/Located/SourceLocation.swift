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

    /// `file:line:column`, the form editors and compilers use; only the file for the file as a
    /// whole (a `:0:0` would send an editor to a line that does not exist).
    public var description: String {
        if line == 0 { return file }
        if column == 0 { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }
}
