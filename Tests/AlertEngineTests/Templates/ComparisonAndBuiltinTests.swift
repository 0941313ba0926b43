import AlertEngine
import Testing

/// Go's builtins `eq ne lt le gt ge`, `and or not`, `len`, `index`.
@Suite struct ComparisonAndBuiltinTests {
    @Test(arguments: [
        ("{{ eq 1 1 }}", "true"), (#"{{ eq "a" "b" }}"#, "false"), (#"{{ eq $labels.job "x" "node" }}"#, "true"),
        ("{{ eq $value 0.5 }}", "true"), ("{{ eq true true }}", "true"), ("{{ eq nil nil }}", "true"), ("{{ eq .Labels nil }}", "false"),
        (#"{{ ne "a" "b" }}"#, "true"), ("{{ ne 1 1 }}", "false"),
        ("{{ lt 1 2 }}", "true"), ("{{ le 2 2 }}", "true"), ("{{ gt 2.5 1.5 }}", "true"), ("{{ ge 1.5 2.5 }}", "false"),
        (#"{{ ge "b" "a" }}"#, "true"), (#"{{ lt "B" "a" }}"#, "true"), ("{{ gt $value 0.4 }}", "true"), ("{{ lt -1 0 }}", "true"),
    ])
    func comparisons(template: String, expected: String) throws {
        #expect(try renderAlertTemplate(template) == expected)
    }

    /// `and` and `or` return an argument, not a bool, and stop at the first that decides.
    @Test(arguments: [
        ("{{ and 1 0 2 }}", "0"), ("{{ and 1 2 }}", "2"), (#"{{ or 0 "" "x" }}"#, "x"), (#"{{ or 0 "" }}|"#, "|"),
        ("{{ and false (index nil 1) }}", "false"), ("{{ or true (index nil 1) }}", "true"), ("{{ not 0 }}", "true"),
        (#"{{ not "x" }}"#, "false"), ("{{ not $labels.missing }}", "true"),
    ])
    func logic(template: String, expected: String) throws {
        #expect(try renderAlertTemplate(template) == expected)
    }

    @Test(arguments: [
        (#"{{ len "héllo" }}"#, "6"), ("{{ len $labels }}", "4"), ("{{ len $externalLabels }}", "1"),
        (#"{{ index $labels "job" }}"#, "node"), (#"{{ index "abc" 1 }}"#, "98"), (#"{{ index $labels "missing" }}|"#, "|"),
        ("{{ index $externalLabels }}", "map[cluster:eu1]"), (#"{{ index $labels "job" 0 }}"#, "110"),
    ])
    func lengthAndIndex(template: String, expected: String) throws {
        #expect(try renderAlertTemplate(template) == expected)
    }
}
