/// Malformed input in a file a collector reads: which file, which line (1-based; 0 when the
/// file as a whole is wrong) and what was expected there.
public struct ParseError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
