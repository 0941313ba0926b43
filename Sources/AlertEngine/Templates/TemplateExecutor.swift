/// Runs a parsed template against one alert's data, with Go's `text/template` execution
/// rules: a stack of variables (`$` is the data), dot changed by `with` and `range`, pipelines
/// that pass each command's result to the next as its last argument, and Prometheus'
/// `missingkey=zero` (a missing label is "").
struct TemplateExecutor {
    private enum Flow {
        case proceed
        case breakLoop
        case continueLoop
    }

    private let templateName: String
    private let data: TemplateData
    private let query: TemplateQuery?
    private var output = ""
    private var variables: [(name: String, value: TemplateValue)]

    init(templateName: String, data: TemplateData, query: TemplateQuery? = nil) {
        self.templateName = templateName
        self.data = data
        self.query = query
        self.variables = [("$", .alertData(data))]
    }

    mutating func run(_ nodes: [TemplateNode]) throws(TemplateError) -> String {
        _ = try walk(nodes, dot: .alertData(data))
        return output
    }

    // MARK: Nodes

    private mutating func walk(_ nodes: [TemplateNode], dot: TemplateValue) throws(TemplateError) -> Flow {
        for node in nodes {
            let flow: Flow
            switch node {
            case .text(let text):
                output += text
                flow = .proceed
            case .action(let pipeline):
                let value = try evaluate(pipeline, dot: dot)
                if pipeline.declarations.isEmpty { output += GoFormat.printed(value) }
                flow = .proceed
            case .ifBlock(let branch):
                flow = try walkIfOrWith(branch, dot: dot, setsDot: false)
            case .withBlock(let branch):
                flow = try walkIfOrWith(branch, dot: dot, setsDot: true)
            case .rangeBlock(let branch):
                flow = try walkRange(branch, dot: dot)
            case .breakLoop:
                flow = .breakLoop
            case .continueLoop:
                flow = .continueLoop
            }
            if flow != .proceed { return flow }
        }
        return .proceed
    }

    private mutating func walkIfOrWith(_ branch: TemplateBranch, dot: TemplateValue, setsDot: Bool) throws(TemplateError) -> Flow {
        let scope = variables.count
        defer { variables.removeLast(variables.count - scope) }
        let value = try evaluate(branch.pipeline, dot: dot)
        if value.isTrue { return try walk(branch.body, dot: setsDot ? value : dot) }
        if let elseBody = branch.elseBody { return try walk(elseBody, dot: dot) }
        return .proceed
    }

    private mutating func walkRange(_ branch: TemplateBranch, dot: TemplateValue) throws(TemplateError) -> Flow {
        let scope = variables.count
        defer { variables.removeLast(variables.count - scope) }
        let pipeline = branch.pipeline
        let value = try evaluate(pipeline, dot: dot)
        // The pipeline pushed its variables; each iteration overwrites them.
        let iterationScope = variables.count
        func iteration(key: TemplateValue, element: TemplateValue) throws(TemplateError) -> Flow {
            let declarations = pipeline.declarations
            if pipeline.isAssignment {
                if declarations.count > 1 {
                    try assign(declarations[0], key, at: pipeline)
                    try assign(declarations[1], element, at: pipeline)
                } else if let only = declarations.first {
                    try assign(only, element, at: pipeline)
                }
            } else {
                // With two variables the key is the first, the element the second.
                if !declarations.isEmpty { variables[variables.count - 1].value = element }
                if declarations.count > 1 { variables[variables.count - 2].value = key }
            }
            let flow = try walk(branch.body, dot: element)
            variables.removeLast(variables.count - iterationScope)
            return flow
        }
        switch value {
        case .stringMap(let map) where !map.isEmpty:
            for key in TemplateValue.sortedKeys(map) {
                if try iteration(key: .string(key), element: .string(map[key] ?? "")) == .breakLoop { break }
            }
            return .proceed
        case .queryResult(let samples) where !samples.isEmpty:
            for (index, sample) in samples.enumerated() {
                if try iteration(key: .int(index), element: .sample(sample)) == .breakLoop { break }
            }
            return .proceed
        case .int(let count):
            if pipeline.declarations.count > 1 {
                throw failure("can't use \(count) to iterate over more than one variable", at: pipeline)
            }
            guard count > 0 else { break }
            for index in 0..<count {
                if try iteration(key: .int(index), element: .int(index)) == .breakLoop { break }
            }
            return .proceed
        case .stringMap, .queryResult, .noValue:
            break
        default:
            throw failure("range can't iterate over \(GoFormat.printed(value))", at: pipeline)
        }
        if let elseBody = branch.elseBody { return try walk(elseBody, dot: dot) }
        return .proceed
    }

    // MARK: Pipelines and commands

    private mutating func evaluate(_ pipeline: TemplatePipeline, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        var value: TemplateValue?
        for command in pipeline.commands {
            value = try evaluate(command, dot: dot, piped: value)
        }
        let result = value ?? .noValue
        for name in pipeline.declarations {
            if pipeline.isAssignment {
                try assign(name, result, at: pipeline)
            } else {
                variables.append((name, result))
            }
        }
        return result
    }

    /// `piped` is the previous command's result, which becomes this one's last argument.
    private mutating func evaluate(_ command: TemplateCommand, dot: TemplateValue, piped: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let first = command.arguments[0]
        switch first.kind {
        case .field(let names):
            return try fieldChain(names, of: dot, node: first, hasArguments: command.arguments.count > 1 || piped != nil)
        case .chain(let base, let names):
            let receiver = try argument(base, as: .any, dot: dot)
            return try fieldChain(names, of: receiver, node: first, hasArguments: command.arguments.count > 1 || piped != nil)
        case .variable(let name, let names):
            let value = try variable(name, at: first)
            if names.isEmpty {
                try rejectArguments(command, piped: piped)
                return value
            }
            return try fieldChain(names, of: value, node: first, hasArguments: command.arguments.count > 1 || piped != nil)
        case .function(let function):
            return try call(function, at: first, command: command, arguments: Array(command.arguments.dropFirst()), piped: piped, dot: dot)
        case .pipeline(let pipeline):
            try rejectArguments(command, piped: piped)
            return try evaluate(pipeline, dot: dot)
        case .dot:
            try rejectArguments(command, piped: piped)
            return dot
        case .bool(let value):
            try rejectArguments(command, piped: piped)
            return .bool(value)
        case .string(let value, _):
            try rejectArguments(command, piped: piped)
            return .string(value)
        case .number(let number):
            try rejectArguments(command, piped: piped)
            return try constant(number, at: first)
        case .nilConstant:
            try rejectArguments(command, piped: piped)
            throw failure("nil is not a command", at: first)
        }
    }

    private func rejectArguments(_ command: TemplateCommand, piped: TemplateValue?) throws(TemplateError) {
        if command.arguments.count > 1 || piped != nil {
            throw failure("can't give argument to non-function \(command.arguments[0])", at: command.arguments[0])
        }
    }

    // MARK: Functions

    /// `command` is the whole command when the function heads it, so that failures inside the
    /// function show the call with its arguments, as Go's do. Wrong argument counts point at
    /// the function's name.
    private mutating func call(
        _ function: TemplateFunction, at identifier: TemplateOperand, command: TemplateCommand?, arguments: [TemplateOperand],
        piped: TemplateValue?, dot: TemplateValue
    ) throws(TemplateError) -> TemplateValue {
        let name = function.rawValue
        let signature = function.signature
        let count = arguments.count + (piped == nil ? 0 : 1)
        if signature.variadic != nil {
            if count < signature.fixed.count {
                throw failure(
                    "wrong number of args for \(name): want at least \(signature.fixed.count) got \(arguments.count)",
                    at: identifier)
            }
        } else if count != signature.fixed.count {
            throw failure("wrong number of args for \(name): want \(signature.fixed.count) got \(count)", at: identifier)
        }

        if function == .and || function == .or {
            // Short-circuit: the first false (and) or true (or) argument is the result.
            var value = TemplateValue.noValue
            for operand in arguments {
                value = try argument(operand, as: .any, dot: dot)
                if value.isTrue == (function == .or) { return value }
            }
            return piped ?? value
        }

        func parameter(_ index: Int) -> TemplateFunction.Parameter {
            index < signature.fixed.count ? signature.fixed[index] : signature.variadic ?? .any
        }
        var values: [TemplateValue] = []
        for (index, operand) in arguments.enumerated() {
            values.append(try argument(operand, as: parameter(index), dot: dot))
        }
        let site = command.map { (position: $0.position, context: $0.description) }
            ?? (position: identifier.position, context: identifier.description)
        if let piped {
            values.append(try checked(piped, as: parameter(values.count), at: site.position, context: site.context))
        }
        do {
            return try function.call(values, data: data, query: query)
        } catch {
            throw failure("error calling \(name): \(error.message)", at: site.position, context: site.context)
        }
    }

    /// An operand used as an argument, checked against the parameter it fills. Constants
    /// only fill `string` parameters if they are strings.
    private mutating func argument(_ operand: TemplateOperand, as parameter: TemplateFunction.Parameter, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        switch operand.kind {
        case .dot:
            return try checked(dot, as: parameter, at: operand)
        case .nilConstant:
            guard parameter == .any else { throw failure("cannot assign nil to string", at: operand) }
            return .noValue
        case .field(let names):
            return try checked(try fieldChain(names, of: dot, node: operand, hasArguments: false), as: parameter, at: operand)
        case .variable(let name, let names):
            var value = try variable(name, at: operand)
            if !names.isEmpty { value = try fieldChain(names, of: value, node: operand, hasArguments: false) }
            return try checked(value, as: parameter, at: operand)
        case .pipeline(let pipeline):
            return try checked(try evaluate(pipeline, dot: dot), as: parameter, at: operand)
        case .function(let function):
            let value = try call(function, at: operand, command: nil, arguments: [], piped: nil, dot: dot)
            return try checked(value, as: parameter, at: operand)
        case .chain(let base, let names):
            let receiver = try argument(base, as: .any, dot: dot)
            return try checked(try fieldChain(names, of: receiver, node: operand, hasArguments: false), as: parameter, at: operand)
        case .string(let value, _):
            return .string(value)
        case .bool(let value):
            guard parameter == .any else { throw failure("expected string; found \(operand)", at: operand) }
            return .bool(value)
        case .number(let number):
            guard parameter == .any else { throw failure("expected string; found \(operand)", at: operand) }
            return try constant(number, at: operand)
        }
    }

    private func checked(_ value: TemplateValue, as parameter: TemplateFunction.Parameter, at node: TemplateOperand) throws(TemplateError) -> TemplateValue {
        try checked(value, as: parameter, at: node.position, context: node.description)
    }

    private func checked(
        _ value: TemplateValue, as parameter: TemplateFunction.Parameter, at position: TemplatePosition, context: String
    ) throws(TemplateError) -> TemplateValue {
        guard parameter == .string else { return value }
        switch value {
        case .string: return value
        case .noValue: throw failure("invalid value; expected string", at: position, context: context)
        default: throw failure("wrong type for value; expected string; got \(value.goTypeName)", at: position, context: context)
        }
    }

    private func constant(_ number: TemplateNumber, at node: TemplateOperand) throws(TemplateError) -> TemplateValue {
        guard let value = number.idealValue else { throw failure("\(number.text) overflows int", at: node) }
        return value
    }

    // MARK: Fields and variables

    private func fieldChain(_ names: [String], of receiver: TemplateValue, node: TemplateOperand, hasArguments: Bool) throws(TemplateError) -> TemplateValue {
        var value = receiver
        for (index, name) in names.enumerated() {
            value = try field(name, of: value, node: node, hasArguments: hasArguments && index == names.count - 1)
        }
        return value
    }

    private func field(_ name: String, of receiver: TemplateValue, node: TemplateOperand, hasArguments: Bool) throws(TemplateError) -> TemplateValue {
        switch receiver {
        case .noValue:
            return .noValue
        case .alertData(let data):
            let value: TemplateValue
            switch name {
            case "Labels": value = .stringMap(data.labels)
            case "ExternalLabels": value = .stringMap(data.externalLabels)
            case "ExternalURL": value = .string(data.externalURL)
            case "Value": value = .float(data.value)
            default: throw failure("can't evaluate field \(name) in type \(receiver.goTypeName)", at: node)
            }
            if hasArguments { throw failure("\(name) has arguments but cannot be invoked as function", at: node) }
            return value
        case .stringMap(let map):
            if hasArguments { throw failure("\(name) is not a method but has arguments", at: node) }
            return .string(map[name] ?? "")
        case .sample(let sample):
            let value: TemplateValue
            switch name {
            case "Labels": value = .stringMap(sample.labels)
            case "Value": value = .float(sample.value)
            default: throw failure("can't evaluate field \(name) in type \(receiver.goTypeName)", at: node)
            }
            if hasArguments { throw failure("\(name) has arguments but cannot be invoked as function", at: node) }
            return value
        default:
            throw failure("can't evaluate field \(name) in type \(receiver.goTypeName)", at: node)
        }
    }

    private func variable(_ name: String, at node: TemplateOperand) throws(TemplateError) -> TemplateValue {
        guard let entry = variables.last(where: { $0.name == name }) else {
            throw failure("undefined variable: \(name)", at: node)
        }
        return entry.value
    }

    private mutating func assign(_ name: String, _ value: TemplateValue, at pipeline: TemplatePipeline) throws(TemplateError) {
        guard let index = variables.lastIndex(where: { $0.name == name }) else {
            throw failure("undefined variable: \(name)", at: pipeline)
        }
        variables[index].value = value
    }

    // MARK: Errors

    private func failure(_ message: String, at node: TemplateOperand) -> TemplateError {
        failure(message, at: node.position, context: node.description)
    }

    private func failure(_ message: String, at pipeline: TemplatePipeline) -> TemplateError {
        failure(message, at: pipeline.position, context: pipeline.description)
    }

    private func failure(_ message: String, at position: TemplatePosition, context: String) -> TemplateError {
        TemplateError(
            templateName: templateName, phase: .executing, line: position.line, column: position.column,
            context: context, message: message)
    }
}
