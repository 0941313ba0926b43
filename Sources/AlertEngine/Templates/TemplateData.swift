/// What an alert's label and annotation templates can read: Prometheus'
/// `AlertTemplateData`, seen from a template as `.Labels`, `.ExternalLabels`, `.ExternalURL`
/// and `.Value` (and, after `AlertTemplate.alertVariableDefinitions`, as `$labels`,
/// `$externalLabels`, `$externalURL` and `$value`).
public struct TemplateData: Sendable, Hashable {
    public var labels: [String: String]
    public var value: Double
    public var externalLabels: [String: String]
    public var externalURL: String

    public init(
        labels: [String: String] = [:], value: Double = 0, externalLabels: [String: String] = [:],
        externalURL: String = ""
    ) {
        self.labels = labels
        self.value = value
        self.externalLabels = externalLabels
        self.externalURL = externalURL
    }
}
