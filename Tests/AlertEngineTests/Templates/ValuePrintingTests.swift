import AlertEngine
import Testing

/// An action prints its value as Go's `fmt.Print` does; a float64 uses the shortest digits that
/// read back the same, with exponent form below 1e-4 and from 1e+06 on.
@Suite struct ValuePrintingTests {
    @Test(arguments: [
        (0.5, "0.5"), (3, "3"), (100, "100"), (123_456, "123456"), (999_999, "999999"), (1_000_000, "1e+06"),
        (1_234_567, "1.234567e+06"), (0.0001, "0.0001"), (0.00001, "1e-05"), (0.1 + 0.2, "0.30000000000000004"),
        (-0.0, "-0"), (-2.5, "-2.5"), (1e21, "1e+21"), (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"),
    ] as [(Double, String)])
    func value(value: Double, expected: String) throws {
        var data = exampleAlertData
        data.value = value
        #expect(try renderAlertTemplate("{{ $value }}", data) == expected)
        #expect(try renderTemplate("{{ .Value }}", data) == expected)
    }

    @Test(arguments: [
        ("{{ 1 }}", "1"), ("{{ -3 }}", "-3"), ("{{ +7 }}", "7"), ("{{ 0x1F }}", "31"), ("{{ 1_000 }}", "1000"),
        ("{{ 017 }}", "15"), ("{{ 0o17 }}", "15"), ("{{ 0b101 }}", "5"), ("{{ 'a' }}", "97"), (#"{{ '\n' }}"#, "10"),
        ("{{ 1.0 }}", "1"), ("{{ 1e3 }}", "1000"), ("{{ .5 }}", "0.5"), ("{{ 0x1p4 }}", "16"),
        ("{{ 9223372036854775807 }}", "9223372036854775807"), (#"{{ "a\tb\u00e9\x41" }}"#, "a\tbéA"),
        ("{{ `raw \\n` }}", "raw \\n"), ("{{ true }} {{ false }}", "true false"),
        ("{{ .Labels }}", "map[__name__:up instance:web-1:9100 job:node severity:page]"),
        ("{{ . }}", "{map[__name__:up instance:web-1:9100 job:node severity:page] map[cluster:eu1] http://prometheus.example:9090/prom 0.5}"),
        ("{{ .ExternalURL }}", "http://prometheus.example:9090/prom"), ("{{ .ExternalLabels.cluster }}", "eu1"),
    ])
    func constantsAndData(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    /// Prometheus renders with `missingkey=zero`: a label that is not there reads as "".
    @Test(arguments: ["{{ $labels.missing }}", "{{ .Labels.missing }}", #"{{ index $labels "missing" }}"#, "{{ $externalLabels.missing }}"])
    func missingLabelIsEmpty(template: String) throws {
        #expect(try renderAlertTemplate("[" + template + "]") == "[]")
    }
}
