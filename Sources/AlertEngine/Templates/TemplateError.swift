/// A template that cannot be parsed or executed: which template, where (1-based line and
/// column, the column counted in Unicode scalars), and what went wrong.
///
/// Printed in Go's layout so messages read like Prometheus' own:
/// `template: __alert_HighCPU:1:108: executing "__alert_HighCPU" at <humanize "x">: error calling humanize: …`
/// for execution errors and `template: NAME:LINE:COLUMN: message` for parse errors. Go prints
/// a 0-based byte column and no column at all for parse errors; ours is 1-based everywhere, the
/// form editors jump to.
public struct TemplateError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        case parsing
        case executing
    }

    public let templateName: String
    public let phase: Phase
    public let line: Int
    public let column: Int
    /// The piece of the template being executed when it failed, as Go prints it between `<>`;
    /// `nil` for parse errors.
    public let context: String?
    public let message: String

    public init(templateName: String, phase: Phase, line: Int, column: Int, context: String? = nil, message: String) {
        self.templateName = templateName
        self.phase = phase
        self.line = line
        self.column = column
        self.context = context
        self.message = message
    }

    public var description: String {
        let location = "template: \(templateName):\(line):\(column)"
        switch phase {
        case .parsing:
            return "\(location): \(message)"
        case .executing:
            return "\(location): executing \"\(templateName)\" at <\(context ?? "")>: \(message)"
        }
    }
}
