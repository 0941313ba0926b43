/// One alert label or annotation template, parsed once and rendered for every alert instance.
///
/// The language is the part of Go's `text/template` that alerting rules use, with Prometheus'
/// function set and its `missingkey=zero` option: a missing label reads as the empty string.
/// The query functions (`query`, `first`, `label`, `value`, `strvalue`, `sortByLabel`) run
/// when a `TemplateQuery` is given, as in alerting rules. Not supported: `define`,
/// `template`, `block`, `args` and `toTime`.
public struct AlertTemplate: Sendable {
    /// What Prometheus puts in front of every alert template, so that `$labels`, `$value`,
    /// `$externalLabels` and `$externalURL` exist. Callers prepend it, as Prometheus does, which
    /// also shifts line-1 columns in error messages by the same amount as in Prometheus.
    public static let alertVariableDefinitions =
        "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"

    public let name: String
    let nodes: [TemplateNode]

    public init(_ text: String, name: String) throws(TemplateError) {
        self.name = name
        var parser = TemplateParser(text: text, name: name)
        self.nodes = try parser.parse()
    }

    public func render(_ data: TemplateData, query: TemplateQuery? = nil) throws(TemplateError) -> String {
        var executor = TemplateExecutor(templateName: name, data: data, query: query)
        return try executor.run(nodes)
    }
}
