import MetricStore

/// A rule ready to evaluate: its expression parsed once and its label and annotation
/// templates compiled once, when the file is loaded, so an evaluation never re-parses text.
public struct CompiledRule: Sendable {
    public let rule: Rule
    public let expr: Expr
    /// Group labels with the rule's own merged in (the rule's win); recording rules apply
    /// these as they are, alerting rules through `labelTemplates`.
    public let labels: Labels
    /// The rule's labels (group labels merged in, the rule's own winning), as templates.
    let labelTemplates: [(name: String, template: AlertTemplate)]
    let annotationTemplates: [(name: String, template: AlertTemplate)]

    public var name: String { rule.name }
    public var kind: Rule.Kind { rule.kind }
}
