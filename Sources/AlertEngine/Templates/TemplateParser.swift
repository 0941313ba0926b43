/// Builds the tree of one template from its tokens, following Go's `text/template/parse`
/// grammar and messages. Checks what Go checks before execution: functions exist, variables
/// are declared (and, unlike Go, that `$x = …` assigns a declared one), `{{break}}` is inside
/// `{{range}}`.
struct TemplateParser {
    /// What `action` found: a node, or one of the keywords that close a list.
    private enum ActionResult {
        case node(TemplateNode)
        case end(TemplateToken)
        case `else`(TemplateToken)
    }

    private let name: String
    private let locator: TemplateSourceLocator
    private var lexer: TemplateLexer
    /// Tokens read ahead and pushed back; the last one is read next.
    private var pushedBack: [TemplateToken] = []
    private var variables = ["$"]
    private var rangeDepth = 0
    /// Blocks and parentheses open around the current token. Parser and executor recurse
    /// once per level, so the depth is bounded to keep the stack bounded.
    private var nesting = 0
    static let maximumNesting = 100

    init(text: String, name: String) {
        self.name = name
        self.lexer = TemplateLexer(text)
        self.locator = TemplateSourceLocator(lexer.source)
    }

    mutating func parse() throws(TemplateError) -> [TemplateNode] {
        do {
            return try parseTemplate()
        } catch {
            let position = locator.position(of: error.offset)
            throw TemplateError(
                templateName: name, phase: .parsing, line: position.line, column: position.column, message: error.message)
        }
    }

    private mutating func parseTemplate() throws(TemplateSyntaxError) -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        while try peek().kind != .eof {
            switch try textOrAction() {
            case .node(let node): nodes.append(node)
            case .end(let token): throw failure("unexpected {{end}}", at: token)
            case .else(let token): throw failure("unexpected {{else}}", at: token)
            }
        }
        return nodes
    }

    /// The nodes up to the `{{end}}` or `{{else}}` that closes the block `opener` started.
    private mutating func itemList(openedBy opener: TemplateToken) throws(TemplateSyntaxError) -> ([TemplateNode], ActionResult) {
        var nodes: [TemplateNode] = []
        while try peekNonSpace().kind != .eof {
            let result = try textOrAction()
            guard case .node(let node) = result else { return (nodes, result) }
            nodes.append(node)
        }
        throw failure("unexpected EOF: {{\(opener.value)}} has no matching {{end}}", at: opener)
    }

    private mutating func textOrAction() throws(TemplateSyntaxError) -> ActionResult {
        let token = try nextNonSpace()
        switch token.kind {
        case .text: return .node(.text(token.value))
        case .leftDelimiter: return try action()
        default: throw unexpected(token, in: "input")
        }
    }

    // MARK: Actions and control structures

    private mutating func action() throws(TemplateSyntaxError) -> ActionResult {
        let token = try nextNonSpace()
        switch token.kind {
        case .keyword(.if):
            return .node(.ifBlock(try control("if", openedBy: token)))
        case .keyword(.with):
            return .node(.withBlock(try control("with", openedBy: token)))
        case .keyword(.range):
            return .node(.rangeBlock(try control("range", openedBy: token)))
        case .keyword(.else):
            // "{{else if …}}" and "{{else with …}}" leave the keyword for `control` to read.
            let next = try peekNonSpace()
            if next.kind != .keyword(.if) && next.kind != .keyword(.with) { try expect(.rightDelimiter, in: "else") }
            return .else(token)
        case .keyword(.end):
            try expect(.rightDelimiter, in: "end")
            return .end(token)
        case .keyword(.break), .keyword(.continue):
            let next = try nextNonSpace()
            guard next.kind == .rightDelimiter else { throw unexpected(next, in: "{{\(token.value)}}") }
            guard rangeDepth > 0 else { throw failure("{{\(token.value)}} outside {{range}}", at: token) }
            return .node(token.kind == .keyword(.break) ? .breakLoop : .continueLoop)
        case .keyword(.define), .keyword(.template), .keyword(.block):
            throw failure("{{\(token.value)}} is not supported in alert templates", at: token)
        default:
            backup(token)
            let pipeline = try pipeline(context: "command", end: .rightDelimiter)
            return .node(.action(pipeline))
        }
    }

    /// `if`, `with` and `range`: pipeline, body, optional else; variables declared here end at
    /// `{{end}}`.
    private mutating func control(_ context: String, openedBy opener: TemplateToken) throws(TemplateSyntaxError) -> TemplateBranch {
        try enterNesting(at: opener)
        let scope = variables.count
        defer {
            variables.removeLast(variables.count - scope)
            nesting -= 1
        }
        let pipeline = try pipeline(context: context, end: .rightDelimiter)
        if context == "range" { rangeDepth += 1 }
        let (body, terminator) = try itemList(openedBy: opener)
        if context == "range" { rangeDepth -= 1 }
        guard case .else = terminator else {
            return TemplateBranch(pipeline: pipeline, body: body, elseBody: nil)
        }
        let next = try peek()
        if context == "if" && next.kind == .keyword(.if) {
            _ = try self.next()
            return TemplateBranch(pipeline: pipeline, body: body, elseBody: [.ifBlock(try control("if", openedBy: next))])
        }
        if context == "with" && next.kind == .keyword(.with) {
            _ = try self.next()
            return TemplateBranch(pipeline: pipeline, body: body, elseBody: [.withBlock(try control("with", openedBy: next))])
        }
        let (elseBody, elseTerminator) = try itemList(openedBy: opener)
        if case .else(let second) = elseTerminator { throw failure("expected {{end}}; found a second {{else}}", at: second) }
        return TemplateBranch(pipeline: pipeline, body: body, elseBody: elseBody)
    }

    // MARK: Pipelines, commands, operands

    private mutating func pipeline(context: String, end: TemplateToken.Kind) throws(TemplateSyntaxError) -> TemplatePipeline {
        var pipeline = TemplatePipeline(position: position(of: try peekNonSpace()))
        let declaredBefore = variables
        var declarationTokens: [TemplateToken] = []
        declarations: while true {
            let variable = try peekNonSpace()
            guard variable.kind == .variable else { break }
            _ = try next()
            // "$x foo" needs three tokens of look-ahead to see that $x is an argument.
            let afterVariable = try peek()
            let following = try peekNonSpace()
            switch following.kind {
            case .declare, .assign:
                pipeline.isAssignment = following.kind == .assign
                _ = try nextNonSpace()
                declarationTokens.append(variable)
            case .character where following.value == ",":
                _ = try nextNonSpace()
                declarationTokens.append(variable)
                let nextKind = try peekNonSpace().kind
                if context == "range" && declarationTokens.count < 2 {
                    guard nextKind == .variable || nextKind == .rightDelimiter || nextKind == .rightParen else {
                        throw failure("range can only initialize variables", at: try peekNonSpace())
                    }
                    continue declarations
                }
                throw failure("too many declarations in \(context)", at: variable)
            default:
                if afterVariable.kind == .space { backup(afterVariable) }
                backup(variable)
            }
            break
        }
        for token in declarationTokens {
            if pipeline.isAssignment && !declaredBefore.contains(token.value) {
                throw failure("undefined variable \(GoQuote.quote(token.value))", at: token)
            }
            pipeline.declarations.append(token.value)
            variables.append(token.value)
        }
        while true {
            let token = try nextNonSpace()
            if token.kind == end {
                try check(pipeline, context: context, endingAt: token)
                return pipeline
            }
            switch token.kind {
            case .bool, .characterConstant, .dot, .field, .identifier, .number, .nilConstant, .rawString, .string,
                .variable, .leftParen:
                backup(token)
                pipeline.commands.append(try command())
            default:
                throw unexpected(token, in: context)
            }
        }
    }

    private func check(_ pipeline: TemplatePipeline, context: String, endingAt end: TemplateToken) throws(TemplateSyntaxError) {
        guard !pipeline.commands.isEmpty else { throw failure("missing value for \(context)", at: end) }
        // Only the first command may start with something that cannot take the piped value.
        for (index, command) in pipeline.commands.enumerated().dropFirst() {
            switch command.arguments[0].kind {
            case .bool, .dot, .nilConstant, .number, .string:
                throw TemplateSyntaxError(
                    message: "non executable command in pipeline stage \(index + 1)", offset: offset(of: command.position))
            default:
                continue
            }
        }
    }

    /// Only called at a token that starts an operand, so a command is never empty.
    private mutating func command() throws(TemplateSyntaxError) -> TemplateCommand {
        var command = TemplateCommand(position: position(of: try peekNonSpace()))
        while true {
            _ = try peekNonSpace()
            if let operand = try operand() { command.arguments.append(operand) }
            let token = try next()
            switch token.kind {
            case .space:
                continue
            case .rightDelimiter, .rightParen:
                backup(token)
            case .pipe:
                break
            default:
                throw unexpected(token, in: "operand")
            }
            break
        }
        return command
    }

    /// A term followed by `.Field`s.
    private mutating func operand() throws(TemplateSyntaxError) -> TemplateOperand? {
        guard let term = try term() else { return nil }
        let firstField = try peek()
        guard firstField.kind == .field else { return term }
        var fields: [String] = []
        while try peek().kind == .field { fields.append(String(try next().value.dropFirst())) }
        switch term.kind {
        case .field(let names):
            return TemplateOperand(kind: .field(names + fields), position: term.position)
        case .variable(let name, let names):
            return TemplateOperand(kind: .variable(name, fields: names + fields), position: term.position)
        case .bool, .string, .number, .nilConstant, .dot:
            throw failure("unexpected . after term \(GoQuote.quote(term.description))", at: firstField)
        case .function, .pipeline, .chain:
            return TemplateOperand(kind: .chain(term, fields: fields), position: term.position)
        }
    }

    private mutating func term() throws(TemplateSyntaxError) -> TemplateOperand? {
        let token = try nextNonSpace()
        let at = position(of: token)
        switch token.kind {
        case .identifier:
            guard let function = TemplateFunction(rawValue: token.value) else {
                throw failure("function \(GoQuote.quote(token.value)) not defined", at: token)
            }
            return TemplateOperand(kind: .function(function), position: at)
        case .dot:
            return TemplateOperand(kind: .dot, position: at)
        case .nilConstant:
            return TemplateOperand(kind: .nilConstant, position: at)
        case .variable:
            guard variables.contains(token.value) else {
                throw failure("undefined variable \(GoQuote.quote(token.value))", at: token)
            }
            return TemplateOperand(kind: .variable(token.value, fields: []), position: at)
        case .field:
            return TemplateOperand(kind: .field([String(token.value.dropFirst())]), position: at)
        case .bool:
            return TemplateOperand(kind: .bool(token.value == "true"), position: at)
        case .number, .characterConstant:
            return TemplateOperand(kind: .number(try number(token)), position: at)
        case .leftParen:
            try enterNesting(at: token)
            defer { nesting -= 1 }
            return TemplateOperand(kind: .pipeline(try pipeline(context: "parenthesized pipeline", end: .rightParen)), position: at)
        case .string, .rawString:
            guard let value = try? GoStringLiteral.unquote(token.value) else {
                throw failure("invalid syntax in string constant \(token.value)", at: token)
            }
            return TemplateOperand(kind: .string(value: value, quoted: token.value), position: at)
        default:
            backup(token)
            return nil
        }
    }

    private func number(_ token: TemplateToken) throws(TemplateSyntaxError) -> TemplateNumber {
        do {
            return token.kind == .characterConstant
                ? try TemplateNumber(character: token.value) : try TemplateNumber(number: token.value)
        } catch {
            let quoted = GoQuote.quote(token.value)
            switch error {
            case .illegalSyntax: throw failure("illegal number syntax: \(quoted)", at: token)
            case .integerOverflow: throw failure("integer overflow: \(quoted)", at: token)
            case .complexUnsupported: throw failure("complex number constants are not supported: \(quoted)", at: token)
            case .malformedCharacter: throw failure("malformed character constant: \(token.value)", at: token)
            }
        }
    }

    private mutating func enterNesting(at token: TemplateToken) throws(TemplateSyntaxError) {
        guard nesting < Self.maximumNesting else {
            throw failure("blocks and parentheses nest deeper than \(Self.maximumNesting) levels", at: token)
        }
        nesting += 1
    }

    // MARK: Tokens

    private mutating func next() throws(TemplateSyntaxError) -> TemplateToken {
        if let token = pushedBack.popLast() { return token }
        return try lexer.next()
    }

    private mutating func backup(_ token: TemplateToken) {
        pushedBack.append(token)
    }

    private mutating func peek() throws(TemplateSyntaxError) -> TemplateToken {
        let token = try next()
        backup(token)
        return token
    }

    private mutating func nextNonSpace() throws(TemplateSyntaxError) -> TemplateToken {
        var token = try next()
        while token.kind == .space { token = try next() }
        return token
    }

    private mutating func peekNonSpace() throws(TemplateSyntaxError) -> TemplateToken {
        let token = try nextNonSpace()
        backup(token)
        return token
    }

    private mutating func expect(_ kind: TemplateToken.Kind, in context: String) throws(TemplateSyntaxError) {
        let token = try nextNonSpace()
        guard token.kind == kind else { throw unexpected(token, in: context) }
    }

    // MARK: Errors and positions

    private func unexpected(_ token: TemplateToken, in context: String) -> TemplateSyntaxError {
        failure("unexpected \(token.goDescription) in \(context)", at: token)
    }

    private func failure(_ message: String, at token: TemplateToken) -> TemplateSyntaxError {
        TemplateSyntaxError(message: message, offset: token.offset)
    }

    private func position(of token: TemplateToken) -> TemplatePosition {
        locator.position(of: token.offset)
    }

    private func offset(of position: TemplatePosition) -> Int {
        locator.offset(of: position)
    }
}
