import AlertEngine
import MetricStore
import Testing

/// `query` and the functions over its result, on a real engine over an in-memory store.
@Suite struct QueryFunctionTests {
    static let store: MemorySampleSource = {
        var source = MemorySampleSource()
        for (cpu, busy) in [("1", 0.25), ("0", 0.75)] {
            source.append(
                Labels(["__name__": "cpu_busy_ratio", "cpu": cpu]),
                [Sample(timestamp: 0, value: busy), Sample(timestamp: 60_000, value: busy)])
        }
        return source
    }()

    static let query = TemplateQuery.instant(QueryEngine(source: store), at: 60_000)

    func render(_ text: String, query: TemplateQuery? = Self.query) throws(TemplateError) -> String {
        try AlertTemplate(text, name: "test").render(exampleAlertData, query: query)
    }

    func failure(_ text: String, query: TemplateQuery? = Self.query) -> String? {
        do {
            _ = try render(text, query: query)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        (#"{{ range sortByLabel "cpu" (query "cpu_busy_ratio") }}{{ label "cpu" . }}={{ .Value }};{{ end }}"#, "0=0.75;1=0.25;"),
        (#"{{ with query "cpu_busy_ratio > 0.5" }}{{ (first .).Labels.cpu }}{{ end }}"#, "0"),
        (#"{{ query "scalar(sum(cpu_busy_ratio))" | first | value }}"#, "1"),
        (#"{{ query "time()" | first | value }}"#, "60"),
        (#"{{ len (query "cpu_busy_ratio") }}"#, "2"),
        (#"{{ (index (sortByLabel "cpu" (query "cpu_busy_ratio")) 1).Value }}"#, "0.25"),
        (#"{{ with query "nothing" }}some{{ else }}none{{ end }}"#, "none"),
        (#"{{ range $i, $s := query "cpu_busy_ratio > 0.5" }}{{ $i }}:{{ value $s }}{{ end }}"#, "0:0.75"),
        (#"{{ query "label_replace(vector(1), \"__value__\", \"up\", \"\", \"\")" | first | strvalue }}"#, "up"),
    ])
    func rendersAsPrometheus(_ text: String, _ expected: String) throws {
        #expect(try render(text) == expected)
    }

    /// Each failure is a template error, never a crash: the alert still goes out with
    /// Prometheus' `<error expanding template: …>` text.
    @Test(arguments: [
        (#"{{ query "nothing" | first }}"#, "error calling first: first() called on vector with no elements"),
        (#"{{ query "cpu_busy_ratio[5m]" }}"#, "error calling query: rule result is not a vector or scalar"),
        (#"{{ query "sum(" }}"#, "error calling query: "),
        (#"{{ label "cpu" (query "cpu_busy_ratio") }}"#, "expected *template.sample; got template.queryResult"),
        (#"{{ value 3 }}"#, "expected *template.sample; got int"),
        (#"{{ sortByLabel "cpu" "text" }}"#, "expected template.queryResult; got string"),
        (#"{{ (query "cpu_busy_ratio").Labels }}"#, "can't evaluate field Labels in type template.queryResult"),
        (#"{{ index (query "cpu_busy_ratio") 7 }}"#, "index out of range: 7"),
    ])
    func refusesWithAMessage(_ text: String, _ expected: String) {
        let message = failure(text)
        #expect(message?.contains(expected) == true, "\(message ?? "rendered")")
    }

    @Test func withoutAnEngineQueryIsAnErrorNotACrash() {
        #expect(failure(#"{{ query "up" }}"#, query: nil)?.contains("no query engine here") == true)
    }
}
