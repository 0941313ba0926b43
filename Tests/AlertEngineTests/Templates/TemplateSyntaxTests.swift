import AlertEngine
import Testing

/// The template language itself, rendered with Prometheus' alert preamble in front.
@Suite struct TemplateSyntaxTests {
    @Test func preambleAloneRendersNothing() throws {
        #expect(try renderAlertTemplate("") == "")
        #expect(try renderAlertTemplate("{{ $externalURL }} {{ $externalLabels.cluster }} {{ $value }}")
            == "http://prometheus.example:9090/prom eu1 0.5")
    }

    @Test func typicalAnnotation() throws {
        let text = "{{ $labels.instance | stripPort }} ({{ $labels.job }}) is {{ $value | humanizePercentage }} busy"
        #expect(try renderAlertTemplate(text) == "web-1 (node) is 50% busy")
    }

    @Test(arguments: [
        ("{{ $value | humanize }}", "500m"), (#"{{ $value | printf "%.1f" }}"#, "0.5"),
        (#"{{ .Labels.job | toUpper | printf "[%s]" }}"#, "[NODE]"), (#"{{ "a" | printf "%s-%s" "b" }}"#, "b-a"),
        ("{{ (humanize 1234) }}", "1.234k"), (#"{{ printf "%s/%s" (toUpper "a") (index $labels "job") }}"#, "A/node"),
        ("{{ (.Labels).job }}", "node"), ("{{ ($labels).instance | stripPort }}", "web-1"),
        (#"{{ $labels.instance | reReplaceAll ":.*" "" }}"#, "web-1"), ("{{ 1 | print }}", "1"),
        ("{{ $labels | len }}", "4"), ("{{ true | and 1 }}", "true"),
    ])
    func pipelines(template: String, expected: String) throws {
        #expect(try renderAlertTemplate(template) == expected)
    }

    @Test(arguments: [
        ("{{ if gt $value 0.4 }}high{{ end }}", "high"), ("{{ if lt $value 0.4 }}low{{ else }}not low{{ end }}", "not low"),
        (#"{{ if eq $labels.severity "critical" }}C{{ else if eq $labels.severity "page" }}P{{ else }}?{{ end }}"#, "P"),
        (#"{{ if eq $labels.job "x" }}1{{ else if eq $labels.job "y" }}2{{ else }}3{{ end }}"#, "3"),
        ("{{ if $labels.missing }}y{{ else }}n{{ end }}", "n"), ("{{ if and $labels.job (gt $value 0.1) }}both{{ end }}", "both"),
        ("{{ if not $labels.missing }}absent{{ end }}", "absent"), ("{{ if 0 }}a{{ else }}b{{ end }}", "b"),
        ("{{ if 0.0 }}a{{ else }}b{{ end }}", "b"), ("{{ if .Labels }}labels{{ end }}", "labels"), ("{{ if . }}data{{ end }}", "data"),
        ("{{ if (and nil) }}a{{ else }}b{{ end }}", "b"),
    ])
    func ifElse(template: String, expected: String) throws {
        #expect(try renderAlertTemplate(template) == expected)
    }

    @Test(arguments: [
        ("{{ with $labels.instance }}on {{ . }}{{ end }}", "on web-1:9100"),
        ("{{ with $labels.missing }}{{ . }}{{ else }}none{{ end }}", "none"),
        ("{{ with $labels.missing }}a{{ else with $labels.job }}{{ . }}{{ end }}", "node"),
        ("{{ with $x := $labels.job }}{{ $x }}/{{ . }}{{ end }}", "node/node"),
        ("{{ with .Labels }}{{ .job }}{{ end }}", "node"),
    ])
    func with(template: String, expected: String) throws {
        #expect(try renderAlertTemplate(template) == expected)
    }

    @Test(arguments: [
        ("{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}", "__name__=up;instance=web-1:9100;job=node;severity=page;"),
        ("{{ range $labels }}{{ . }},{{ end }}", "up,web-1:9100,node,page,"),
        ("{{ range $v := $externalLabels }}{{ $v }}{{ end }}", "eu1"),
        ("{{ range .Labels }}{{ . | len }}{{ end }}", "21044"),
        ("{{ range 3 }}{{ . }}{{ end }}", "012"), ("{{ range 0 }}x{{ else }}none{{ end }}", "none"),
        (#"{{ range $k, $v := $labels }}{{ if eq $k "job" }}{{ break }}{{ end }}{{ $k }} {{ end }}"#, "__name__ instance "),
        (#"{{ range $k, $v := $labels }}{{ if eq $k "job" }}{{ continue }}{{ end }}{{ $k }} {{ end }}"#, "__name__ instance severity "),
        (#"{{ $last := "" }}{{ range $last = $labels }}{{ end }}{{ $last }}"#, "page"),
        (#"{{ $k := "" }}{{ $v := "" }}{{ range $k, $v = $labels }}{{ end }}{{ $k }}={{ $v }}"#, "severity=page"),
        ("{{ range $labels }}{{ $.Value }}{{ break }}{{ end }}", "0.5"),
        ("{{ range $i := 2 }}{{ range $labels }}{{ $i }}{{ break }}{{ end }}{{ end }}", "01"),
    ])
    func range(template: String, expected: String) throws {
        #expect(try renderAlertTemplate(template) == expected)
    }

    /// A range over an int counts lazily, as Go's does, so a huge bound stops at `break`.
    @Test func rangeOverAnIntDoesNotMaterialiseTheCount() throws {
        #expect(try renderTemplate("{{ range 1000000000000 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}") == "012")
    }

    @Test func hundredLevelsOfNestingAreAllowed() throws {
        let parens = "{{ " + String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100) + " }}"
        let blocks = String(repeating: "{{if true}}", count: 100) + "x" + String(repeating: "{{end}}", count: 100)
        #expect(try renderTemplate(parens) == "1")
        #expect(try renderTemplate(blocks) == "x")
    }

    @Test func rangeOverAnEmptyMapTakesTheElseBranch() throws {
        let data = TemplateData(labels: ["a": "1"], value: 1)
        #expect(try renderAlertTemplate("{{ range $externalLabels }}x{{ else }}none{{ end }}", data) == "none")
        #expect(try renderAlertTemplate("{{ range $externalLabels }}x{{ end }}", data) == "")
    }

    @Test func rangeSortsKeysByteWiseAsGoDoes() throws {
        let data = TemplateData(labels: ["b": "2", "a": "1", "B": "3", "é": "4", "a_": "5"], value: 1)
        #expect(try renderAlertTemplate("{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}", data) == "B=3 a=1 a_=5 b=2 é=4 ")
    }

    @Test(arguments: [
        (#"{{ $x := 1 }}{{ $x }}{{ $x = 2 }}{{ $x }}"#, "12"),
        (#"{{ $x := "outer" }}{{ if true }}{{ $x := "inner" }}{{ $x }}{{ end }} {{ $x }}"#, "inner outer"),
        (#"{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}"#, "2"),
        (#"{{ if $x := $labels.missing }}{{ else }}[{{ $x }}]{{ end }}"#, "[]"),
        (#"{{ $l := $labels }}{{ $l.job }}"#, "node"), (#"{{ $.Labels.job }}"#, "node"), (#"{{ $ := 1 }}{{ $ }}"#, "1"),
        (#"{{ $x := ($y := 2) }}{{ $x }}{{ $y }}"#, "22"),
    ])
    func variables(template: String, expected: String) throws {
        #expect(try renderAlertTemplate(template) == expected)
    }

    @Test(arguments: [
        ("a  {{- 1 -}}  b", "a1b"), ("a \n\t{{- 1 }} b", "a1 b"), ("a {{ 1 -}} \n b", "a 1b"), ("{{- 1 -}}", "1"),
        ("{{-3}}", "-3"), ("{{ 3 -}}\n\n4", "34"), ("{{ if true -}}\n  yes\n{{- end }}", "yes"),
        ("{{ printf\n  \"%s\"\n  \"x\" }}", "x"), ("a\t{{-\t1\t-}}\tb", "a1b"), ("a {{- 1}}", "a1"),
    ])
    func trimMarkers(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    @Test(arguments: [
        ("a{{/* hidden */}}b", "ab"), ("a{{/* multi\nline */}}b", "ab"), ("a {{- /* c */}} b", "a b"),
        ("a {{/* c */ -}} b", "a b"), ("a {{- /* c */ -}} b", "ab"), ("{{/* only */}}", ""),
    ])
    func comments(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    @Test func linesAndColumnsCountUnicodeScalars() {
        let error = templateError("héllo\nwörld {{ humanize \"x\" }}")
        #expect(error?.line == 2)
        #expect(error?.column == 10)
        #expect(error?.templateName == "test")
        #expect(error?.context == #"humanize "x""#)
        #expect(error?.phase == .executing)
    }

    @Test func preambleShiftsLineOneColumnsAsInPrometheus() throws {
        let preamble = AlertTemplate.alertVariableDefinitions.unicodeScalars.count
        do {
            _ = try renderAlertTemplate("{{ humanize \"x\" }}")
            Issue.record("expected an error")
        } catch {
            #expect(error.templateName == "__alert_Test")
            #expect(error.column == preamble + 4)
            #expect(error.description.hasPrefix("template: __alert_Test:1:\(preamble + 4): executing \"__alert_Test\" at <humanize \"x\">"))
        }
    }

    @Test func aParsedTemplateRendersManyAlerts() throws {
        let template = try AlertTemplate(AlertTemplate.alertVariableDefinitions + "{{ $labels.instance }}={{ $value }}", name: "t")
        let first = try template.render(TemplateData(labels: ["instance": "a"], value: 1))
        let second = try template.render(TemplateData(labels: ["instance": "b"], value: 2.5))
        #expect([first, second] == ["a=1", "b=2.5"])
    }
}
