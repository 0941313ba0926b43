import AlertEngine
import Testing

/// Expected outputs are Prometheus' own, from `template/template_test.go`.
@Suite struct HumanizeFunctionTests {
    /// The function applied to `$value`, so inputs are float64 as in an alert.
    @Test(arguments: [
        ("humanize", 0.0, "0"), ("humanize", 1, "1"), ("humanize", 1_234_567, "1.235M"), ("humanize", 0.12, "120m"),
        ("humanize", 0.000012, "12u"), ("humanize", -1_500, "-1.5k"), ("humanize", .infinity, "+Inf"),
        ("humanize", -.infinity, "-Inf"), ("humanize", .nan, "NaN"),
        ("humanize1024", 0, "0"), ("humanize1024", 1, "1"), ("humanize1024", 1_048_576, "1Mi"),
        ("humanize1024", 0.12, "0.12"), ("humanize1024", 1_234_567, "1.177Mi"), ("humanize1024", .infinity, "+Inf"),
        ("humanize1024", .nan, "NaN"),
        ("humanizeDuration", 0, "0s"), ("humanizeDuration", 1, "1s"), ("humanizeDuration", 60, "1m 0s"),
        ("humanizeDuration", 3600, "1h 0m 0s"), ("humanizeDuration", 86400, "1d 0h 0m 0s"),
        ("humanizeDuration", 86400 + 3600, "1d 1h 0m 0s"), ("humanizeDuration", 86400 * 2 + 3661, "2d 1h 1m 1s"),
        ("humanizeDuration", -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), "-2d 3h 4m 5s"), ("humanizeDuration", 899.99, "14m 59s"),
        ("humanizeDuration", 0.1, "100ms"), ("humanizeDuration", 0.001, "1ms"), ("humanizeDuration", 0.0001, "100us"),
        ("humanizeDuration", 0.12345, "123.5ms"), ("humanizeDuration", 60.1, "1m 0s"), ("humanizeDuration", 60.5, "1m 0s"),
        ("humanizeDuration", 1.2345, "1.234s"), ("humanizeDuration", 12.345, "12.35s"), ("humanizeDuration", -1, "-1s"),
        ("humanizeDuration", .infinity, "+Inf"), ("humanizeDuration", -.infinity, "-Inf"), ("humanizeDuration", .nan, "NaN"),
        ("humanizePercentage", -0.22222, "-22.22%"), ("humanizePercentage", 0, "0%"),
        ("humanizePercentage", 0.1234567, "12.35%"), ("humanizePercentage", 1.23456, "123.5%"),
        ("humanizeTimestamp", 1_435_065_584.128, "2015-06-23 13:19:44.128 +0000 UTC"),
        ("humanizeTimestamp", 0, "1970-01-01 00:00:00 +0000 UTC"), ("humanizeTimestamp", -0.5, "1969-12-31 23:59:59.5 +0000 UTC"),
        ("humanizeTimestamp", 951_782_400, "2000-02-29 00:00:00 +0000 UTC"),
        ("humanizeTimestamp", .infinity, "+Inf"), ("humanizeTimestamp", -.infinity, "-Inf"), ("humanizeTimestamp", .nan, "NaN"),
    ] as [(String, Double, String)])
    func onValue(function: String, value: Double, expected: String) throws {
        var data = exampleAlertData
        data.value = value
        #expect(try renderAlertTemplate("{{ \(function) $value }}", data) == expected)
        #expect(try renderAlertTemplate("{{ $value | \(function) }}", data) == expected)
    }

    /// Int constants and strings, the other inputs Prometheus' `convertToFloat` accepts.
    @Test(arguments: [
        ("{{ humanize 0 }}:{{ humanize -1 }}:{{ humanize 1 }}:{{ humanize 1234567 }}:{{ humanize 9223372036854775807 }}",
         "0:-1:1:1.235M:9.223E"),
        (#"{{ humanize "0.0" }}:{{ humanize "1.0" }}:{{ humanize "1234567.0" }}:{{ humanize ".12" }}"#, "0:1:1.235M:120m"),
        (#"{{ humanize "+Inf" }}:{{ humanize "-Inf" }}:{{ humanize "NaN" }}"#, "+Inf:-Inf:NaN"),
        ("{{ humanize1024 0 }}:{{ humanize1024 -1 }}:{{ humanize1024 1 }}:{{ humanize1024 1234567 }}:{{ humanize1024 9223372036854775807 }}",
         "0:-1:1:1.177Mi:8Ei"),
        (#"{{ humanize1024 "0.0" }}:{{ humanize1024 "1.0" }}:{{ humanize1024 "1048576.0" }}:{{ humanize1024 ".12" }}"#, "0:1:1Mi:0.12"),
        ("{{ humanizeDuration 0 }}:{{ humanizeDuration -1 }}:{{ humanizeDuration 1 }}:{{ humanizeDuration 1234567 }}",
         "0s:-1s:1s:14d 6h 56m 7s"),
        (#"{{ humanizeDuration "0" }}:{{ humanizeDuration "60" }}:{{ humanizeDuration "86400" }}:{{ humanizeDuration ".0001" }}"#,
         "0s:1m 0s:1d 0h 0m 0s:100us"),
        ("{{ humanizePercentage 0 }}:{{ humanizePercentage -1 }}:{{ humanizePercentage 1 }}:{{ humanizePercentage 1234567 }}",
         "0%:-100%:100%:1.235e+08%"),
        ("{{ humanizePercentage 9223372036854775807 }}", "9.223e+20%"),
        (#"{{ "-0.22222" | humanizePercentage }}:{{ "0.0" | humanizePercentage }}:{{ "1.23456" | humanizePercentage }}"#,
         "-22.22%:0%:123.5%"),
        ("{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}",
         "-22.22%:0%:12.35%"),
        ("{{ humanizeTimestamp 0 }}|{{ humanizeTimestamp -1 }}|{{ humanizeTimestamp 1 }}",
         "1970-01-01 00:00:00 +0000 UTC|1969-12-31 23:59:59 +0000 UTC|1970-01-01 00:00:01 +0000 UTC"),
        ("{{ humanizeTimestamp 1234567 }}|{{ humanizeTimestamp 9223372036 }}",
         "1970-01-15 06:56:07 +0000 UTC|2262-04-11 23:47:16 +0000 UTC"),
        (#"{{ "1435065584.128" | humanizeTimestamp }}"#, "2015-06-23 13:19:44.128 +0000 UTC"),
    ])
    func onConstants(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    @Test(arguments: [
        (#"{{ humanize "one" }}"#, #"template: test:1:4: executing "test" at <humanize "one">: error calling humanize: strconv.ParseFloat: parsing "one": invalid syntax"#),
        (#"{{ humanize1024 "one" }}"#, #"template: test:1:4: executing "test" at <humanize1024 "one">: error calling humanize1024: strconv.ParseFloat: parsing "one": invalid syntax"#),
        (#"{{ humanizeDuration "one" }}"#, #"template: test:1:4: executing "test" at <humanizeDuration "one">: error calling humanizeDuration: strconv.ParseFloat: parsing "one": invalid syntax"#),
        (#"{{ "one" | humanizePercentage }}"#, #"template: test:1:12: executing "test" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing "one": invalid syntax"#),
        (#"{{ humanize "1e400" }}"#, #"template: test:1:4: executing "test" at <humanize "1e400">: error calling humanize: strconv.ParseFloat: parsing "1e400": value out of range"#),
        ("{{ humanize .Labels }}", #"template: test:1:4: executing "test" at <humanize .Labels>: error calling humanize: can't convert map[string]string to float"#),
        ("{{ humanizeTimestamp -9223372036854775808 }}", #"template: test:1:4: executing "test" at <humanizeTimestamp -9223372036854775808>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64"#),
        ("{{ humanizeTimestamp 1e300 }}", #"template: test:1:4: executing "test" at <humanizeTimestamp 1e300>: error calling humanizeTimestamp: 1e+300 cannot be represented as a nanoseconds timestamp since it overflows int64"#),
    ])
    func rejectsWhatPrometheusRejects(template: String, message: String) {
        #expect(templateError(template)?.description == message)
    }
}
