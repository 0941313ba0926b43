/// A config file the agent refuses: where (file, 1-based line and column) and what was
/// expected there. Printed as `file:line:column: message`, the form editors jump to.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
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
