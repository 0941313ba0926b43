/// The tree written back as template source, the way Go's `Node.String()` does: execution
/// errors quote it between `<>` to show which piece failed.
extension TemplateOperand: CustomStringConvertible {
    var description: String {
        switch kind {
        case .dot: return "."
        case .nilConstant: return "nil"
        case .bool(let value): return value ? "true" : "false"
        case .number(let number): return number.text
        case .string(_, let quoted): return quoted
        case .field(let names): return names.map { "." + $0 }.joined()
        case .variable(let name, let fields): return name + fields.map { "." + $0 }.joined()
        case .function(let function): return function.rawValue
        case .pipeline(let pipeline): return pipeline.description
        case .chain(let operand, let fields):
            let base: String
            if case .pipeline = operand.kind { base = "(\(operand))" } else { base = operand.description }
            return base + fields.map { "." + $0 }.joined()
        }
    }
}

extension TemplateCommand: CustomStringConvertible {
    var description: String {
        arguments.map { argument in
            if case .pipeline = argument.kind { return "(\(argument))" }
            return argument.description
        }.joined(separator: " ")
    }
}

extension TemplatePipeline: CustomStringConvertible {
    var description: String {
        var text = ""
        if !declarations.isEmpty {
            text = declarations.joined(separator: ", ") + (isAssignment ? " = " : " := ")
        }
        return text + commands.map(\.description).joined(separator: " | ")
    }
}
