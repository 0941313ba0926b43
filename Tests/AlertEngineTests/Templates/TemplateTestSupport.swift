import AlertEngine

/// The data most template tests render against: an alert on one instance, as Prometheus'
/// rule evaluation would pass it.
let exampleAlertData = TemplateData(
    labels: ["instance": "web-1:9100", "job": "node", "severity": "page", "__name__": "up"],
    value: 0.5,
    externalLabels: ["cluster": "eu1"],
    externalURL: "http://prometheus.example:9090/prom")

/// Renders `text` as template "test" against `data`.
func renderTemplate(_ text: String, _ data: TemplateData = exampleAlertData) throws(TemplateError) -> String {
    try AlertTemplate(text, name: "test").render(data)
}

/// Renders `text` with Prometheus' alert preamble in front, so `$labels`, `$value` and friends exist.
func renderAlertTemplate(_ text: String, _ data: TemplateData = exampleAlertData) throws(TemplateError) -> String {
    try AlertTemplate(AlertTemplate.alertVariableDefinitions + text, name: "__alert_Test").render(data)
}

/// The error `text` fails with, parsing or executing; `nil` if it renders.
func templateError(_ text: String, _ data: TemplateData = exampleAlertData) -> TemplateError? {
    do {
        _ = try renderTemplate(text, data)
        return nil
    } catch {
        return error
    }
}
