import AlertEngine

/// Alert label and annotation templates (Go's text/template with Prometheus' functions),
/// parsed and rendered with an alert's data. The first byte picks the value rendered as
/// `$value`, so that humanize and the number functions see NaN, infinities and extremes.
struct TemplateFuzzTarget: FuzzTarget {
    let name = "Template"

    private static let values: [Double] = [0, 1, -1, 0.5, 1234567.891, 1e-9, 1e300, -1e300, .nan, .infinity, -.infinity, 86_400.5]

    func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        guard let template = try? AlertTemplate(AlertTemplate.alertVariableDefinitions + text, name: "fuzz") else { return }
        let data = TemplateData(
            labels: ["alertname": "HostDown", "instance": "db-1:9100", "job": "node", "é": "ü"],
            value: Self.values[Int(first) % Self.values.count],
            externalLabels: ["cluster": "prod"], externalURL: "http://localhost:9090")
        _ = try? template.render(data)
    }
}
