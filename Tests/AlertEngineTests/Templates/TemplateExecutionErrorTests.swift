import AlertEngine
import Testing

/// Every error execution reports: where (1-based line:column), the piece of template that
/// failed, and Go's message.
@Suite struct TemplateExecutionErrorTests {
    private static let dataType =
        "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }"

    @Test(arguments: [
        // Fields.
        ("{{ .Foo }}", "1:4", ".Foo", "can't evaluate field Foo in type \(dataType)"),
        ("{{ .Value.x }}", "1:4", ".Value.x", "can't evaluate field x in type float64"),
        ("{{ .Labels.job.x }}", "1:4", ".Labels.job.x", "can't evaluate field x in type string"),
        ("{{ (1).x }}", "1:4", "(1).x", "can't evaluate field x in type int"),
        ("{{ range .Labels }}{{ .x }}{{ end }}", "1:23", ".x", "can't evaluate field x in type string"),
        ("{{ .Labels.job 1 }}", "1:4", ".Labels.job", "job is not a method but has arguments"),
        ("{{ .Value 1 }}", "1:4", ".Value", "Value has arguments but cannot be invoked as function"),
        ("{{ 1 | .Value }}", "1:8", ".Value", "Value has arguments but cannot be invoked as function"),
        // Commands.
        ("{{ 1 2 }}", "1:4", "1", "can't give argument to non-function 1"),
        ("{{ 1 | $ }}", "1:8", "$", "can't give argument to non-function $"),
        ("{{ nil }}", "1:4", "nil", "nil is not a command"),
        ("{{ if nil }}{{ end }}", "1:7", "nil", "nil is not a command"),
        ("{{ 10000000000000000000 }}", "1:4", "10000000000000000000", "10000000000000000000 overflows int"),
        ("{{ $x := $x }}", "1:10", "$x", "undefined variable: $x"),
        // Calls.
        ("{{ humanize 1 2 }}", "1:4", "humanize", "wrong number of args for humanize: want 1 got 2"),
        ("{{ 1 | humanize 2 }}", "1:8", "humanize", "wrong number of args for humanize: want 1 got 2"),
        ("{{ humanize }}", "1:4", "humanize", "wrong number of args for humanize: want 1 got 0"),
        ("{{ printf }}", "1:4", "printf", "wrong number of args for printf: want at least 1 got 0"),
        ("{{ and }}", "1:4", "and", "wrong number of args for and: want at least 1 got 0"),
        (#"{{ printf "%s" humanize }}"#, "1:16", "humanize", "wrong number of args for humanize: want 1 got 0"),
        (#"{{ printf "%s" (humanize "x") }}"#, "1:17", #"humanize "x""#,
         #"error calling humanize: strconv.ParseFloat: parsing "x": invalid syntax"#),
        ("a\n  {{ humanize \"x\" }}", "2:6", #"humanize "x""#, #"error calling humanize: strconv.ParseFloat: parsing "x": invalid syntax"#),
        // Argument types.
        ("{{ toUpper 1 }}", "1:12", "1", "expected string; found 1"),
        ("{{ toUpper true }}", "1:12", "true", "expected string; found true"),
        ("{{ toUpper .Value }}", "1:12", ".Value", "wrong type for value; expected string; got float64"),
        ("{{ .Value | toUpper }}", "1:13", "toUpper", "wrong type for value; expected string; got float64"),
        ("{{ toUpper nil }}", "1:12", "nil", "cannot assign nil to string"),
        ("{{ toUpper (and nil) }}", "1:12", "and nil", "invalid value; expected string"),
        // Comparisons.
        ("{{ gt .Value 1 }}", "1:4", "gt .Value 1", "error calling gt: incompatible types for comparison: float64 and int"),
        (#"{{ eq .Value "a" }}"#, "1:4", #"eq .Value "a""#, "error calling eq: incompatible types for comparison: float64 and string"),
        ("{{ lt .Labels .Labels }}", "1:4", "lt .Labels .Labels", "error calling lt: invalid type for comparison"),
        ("{{ lt true false }}", "1:4", "lt true false", "error calling lt: invalid type for comparison"),
        ("{{ eq 1 }}", "1:4", "eq 1", "error calling eq: missing argument for comparison"),
        ("{{ eq .ExternalLabels .ExternalLabels }}", "1:4", "eq .ExternalLabels .ExternalLabels",
         "error calling eq: non-comparable type map[cluster:eu1]: map[string]string"),
        ("{{ eq .ExternalLabels . }}", "1:4", "eq .ExternalLabels .",
         "error calling eq: non-comparable types map[cluster:eu1]: map[string]string, \(dataType): {map[__name__:up instance:web-1:9100 job:node severity:page] map[cluster:eu1] http://prometheus.example:9090/prom 0.5}"),
        // len and index.
        ("{{ len 3 }}", "1:4", "len 3", "error calling len: len of type int"),
        ("{{ len nil }}", "1:4", "len nil", "error calling len: len of untyped nil"),
        ("{{ index .Value 1 }}", "1:4", "index .Value 1", "error calling index: can't index item of type float64"),
        ("{{ index .Labels 1 }}", "1:4", "index .Labels 1", "error calling index: value has type int; should be string"),
        ("{{ index .Labels nil }}", "1:4", "index .Labels nil", "error calling index: value is nil; should be of type string"),
        (#"{{ index "ab" 5 }}"#, "1:4", #"index "ab" 5"#, "error calling index: index out of range: 5"),
        (#"{{ index "ab" "x" }}"#, "1:4", #"index "ab" "x""#, "error calling index: cannot index slice/array with type string"),
        (#"{{ index "ab" nil }}"#, "1:4", #"index "ab" nil"#, "error calling index: cannot index slice/array with nil"),
        ("{{ index nil 1 }}", "1:4", "index nil 1", "error calling index: index of untyped nil"),
        // range.
        ("{{ range .Value }}{{ end }}", "1:10", ".Value", "range can't iterate over 0.5"),
        ("{{ range $i, $v := 3 }}{{ end }}", "1:10", "$i, $v := 3", "can't use 3 to iterate over more than one variable"),
        // Prometheus functions.
        (#"{{ reReplaceAll "(" "" "x" }}"#, "1:4", #"reReplaceAll "(" "" "x""#,
         "error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"),
        (#"{{ match "(" "x" }}"#, "1:4", #"match "(" "x""#, "error calling match: error parsing regexp: missing closing ): `(`"),
        (#"{{ match "(?=a)" "x" }}"#, "1:4", #"match "(?=a)" "x""#,
         "error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        (#"{{ reReplaceAll "(a)\\1" "" "x" }}"#, "1:4", #"reReplaceAll "(a)\\1" "" "x""#,
         "error calling reReplaceAll: regexp: Compile(`(a)\\1`): error parsing regexp: invalid escape sequence: `\\1`"),
        (#"{{ parseDuration "" }}"#, "1:4", #"parseDuration """#, "error calling parseDuration: empty duration string"),
        (#"{{ parseDuration "1x" }}"#, "1:4", #"parseDuration "1x""#, #"error calling parseDuration: unknown unit "x" in duration "1x""#),
        (#"{{ parseDuration "1m1h" }}"#, "1:4", #"parseDuration "1m1h""#, #"error calling parseDuration: not a valid duration string: "1m1h""#),
        (#"{{ parseDuration "h" }}"#, "1:4", #"parseDuration "h""#, #"error calling parseDuration: not a valid duration string: "h""#),
        (#"{{ parseDuration "300y" }}"#, "1:4", #"parseDuration "300y""#, "error calling parseDuration: duration out of range"),
    ])
    func executionError(template: String, position: String, context: String, message: String) {
        let error = templateError(template)
        #expect(error?.phase == .executing)
        #expect(error?.description == "template: test:\(position): executing \"test\" at <\(context)>: \(message)")
        #expect(error.map { "\($0.line):\($0.column)" } == position)
        #expect(error?.context == context)
        #expect(error?.message == message)
    }
}
