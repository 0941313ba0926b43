/// A place in the template text: 1-based line and column, the column counted in Unicode scalars.
struct TemplatePosition: Sendable, Hashable {
    let line: Int
    let column: Int
}

/// The parsed template, shaped like Go's `parse.Node` tree so that Go's execution rules carry
/// over one to one.
enum TemplateNode: Sendable {
    case text(String)
    /// `{{pipeline}}`: printed unless the pipeline declares or assigns variables.
    case action(TemplatePipeline)
    case ifBlock(TemplateBranch)
    case withBlock(TemplateBranch)
    case rangeBlock(TemplateBranch)
    case breakLoop
    case continueLoop
}

/// The shared shape of `if`, `with` and `range`. `else if` and `else with` are an `elseBody`
/// holding one nested branch, as in Go.
struct TemplateBranch: Sendable {
    let pipeline: TemplatePipeline
    let body: [TemplateNode]
    let elseBody: [TemplateNode]?
}

/// `$a, $b := command | command …`.
struct TemplatePipeline: Sendable {
    let position: TemplatePosition
    var declarations: [String] = []
    /// `=` rather than `:=`: the variables exist already and are overwritten.
    var isAssignment = false
    var commands: [TemplateCommand] = []
}

/// Space-separated operands; the first one decides whether it is a function call.
struct TemplateCommand: Sendable {
    let position: TemplatePosition
    var arguments: [TemplateOperand] = []
}

struct TemplateOperand: Sendable {
    indirect enum Kind: Sendable {
        case dot
        case nilConstant
        case bool(Bool)
        case number(TemplateNumber)
        case string(value: String, quoted: String)
        /// `.A.B`, relative to dot.
        case field([String])
        /// `$x.A.B`; `fields` is empty for a plain `$x`.
        case variable(String, fields: [String])
        case function(TemplateFunction)
        /// `( … )`.
        case pipeline(TemplatePipeline)
        /// `(pipeline).A.B` or `function.A`: fields read from an evaluated operand.
        case chain(TemplateOperand, fields: [String])
    }

    let kind: Kind
    let position: TemplatePosition
}
