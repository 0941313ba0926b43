import AlertEngine
import Testing

/// Every error the lexer and parser report, with where it points (1-based line:column).
/// Messages are Go's, except where Go has none for our restrictions.
@Suite struct TemplateParseErrorTests {
    @Test(arguments: [
        // Lexer.
        ("a{{/* x", "1:2", "unclosed comment"),
        ("{{/* x */ y}}", "1:1", "comment ends before closing delimiter"),
        ("{{ (1 }}", "1:4", "unclosed left paren"),
        ("x\n{{ .Value", "2:1", "unclosed action"),
        ("{{", "1:1", "unclosed action"),
        ("{{ $x : 1 }}", "1:7", "expected :="),
        ("{{ 1) }}", "1:5", "unexpected right paren U+0029 ')'"),
        ("{{\u{A0}}}", "1:3", "unrecognized character in action: U+00A0"),
        ("{{ → }}", "1:4", "unrecognized character in action: U+2192 '→'"),
        ("{{ .Value+1 }}", "1:4", "bad character U+002B '+'"),
        ("{{ $+ }}", "1:4", "bad character U+002B '+'"),
        ("{{ humanize$ }}", "1:4", "bad character U+0024 '$'"),
        ("{{ 'a }}", "1:4", "unterminated character constant"),
        (#"{{ "abc }}"#, "1:4", "unterminated quoted string"),
        ("{{ \"a\nb\" }}", "1:4", "unterminated quoted string"),
        ("{{ `abc }}", "1:4", "unterminated raw quoted string"),
        ("{{ 1x }}", "1:4", #"bad number syntax: "1x""#),
        ("{{ 1+2i }}", "1:4", #"complex number constants are not supported: "1+2i""#),
        ("{{ 1+2 }}", "1:4", #"bad number syntax: "1+2""#),
        // Structure.
        ("a{{end}}", "1:4", "unexpected {{end}}"),
        ("{{else}}", "1:3", "unexpected {{else}}"),
        ("{{if true}}x", "1:3", "unexpected EOF: {{if}} has no matching {{end}}"),
        ("{{range .Labels}}", "1:3", "unexpected EOF: {{range}} has no matching {{end}}"),
        ("{{with 1}}{{else}}", "1:3", "unexpected EOF: {{with}} has no matching {{end}}"),
        ("{{if true}}{{else x}}{{end}}", "1:19", #"unexpected "x" in else"#),
        ("{{if true}}{{end 1}}", "1:18", #"unexpected "1" in end"#),
        (#"{{ end "abcdefghijklmnop" }}"#, "1:8", #"unexpected "\"abcdefghi"... in end"#),
        ("{{range .Labels}}{{break 1}}{{end}}", "1:26", #"unexpected "1" in {{break}}"#),
        ("{{break}}", "1:3", "{{break}} outside {{range}}"),
        ("{{continue}}", "1:3", "{{continue}} outside {{range}}"),
        ("{{range .Labels}}{{else}}{{break}}{{end}}", "1:28", "{{break}} outside {{range}}"),
        (#"{{define "x"}}{{end}}"#, "1:3", "{{define}} is not supported in alert templates"),
        (#"{{template "x"}}"#, "1:3", "{{template}} is not supported in alert templates"),
        (#"{{block "x" .}}{{end}}"#, "1:3", "{{block}} is not supported in alert templates"),
        ("{{if true}}a{{else}}b{{else}}c{{end}}", "1:24", "expected {{end}}; found a second {{else}}"),
        ("{{range .Labels}}{{else if true}}{{end}}", "1:25", "unexpected <if> in input"),
        // Pipelines and operands.
        ("{{range $k, 1}}{{end}}", "1:13", "range can only initialize variables"),
        ("{{$a, $b := 1}}", "1:3", "too many declarations in command"),
        ("{{if}}{{end}}", "1:5", "missing value for if"),
        ("{{ }}", "1:4", "missing value for command"),
        ("{{ $x := }}", "1:10", "missing value for command"),
        ("{{ ( ) }}", "1:6", "missing value for parenthesized pipeline"),
        ("{{ 1 | 2 }}", "1:8", "non executable command in pipeline stage 2"),
        ("{{ humanize 1 | . }}", "1:17", "non executable command in pipeline stage 2"),
        ("{{ humanize := 1 }}", "1:13", #"unexpected ":=" in operand"#),
        ("{{ 1, 2 }}", "1:5", #"unexpected "," in operand"#),
        ("{{ 1 end }}", "1:6", "unexpected <end> in operand"),
        ("{{if else}}", "1:6", "unexpected <else> in if"),
        (#"{{ "a".x }}"#, "1:7", #"unexpected . after term "\"a\"""#),
        ("{{ nil.x }}", "1:7", #"unexpected . after term "nil""#),
        ("{{ foo }}", "1:4", #"function "foo" not defined"#),
        ("line1\nline2 {{ foo }}", "2:10", #"function "foo" not defined"#),
        ("{{ $x }}", "1:4", #"undefined variable "$x""#),
        ("{{ $x = 1 }}", "1:4", #"undefined variable "$x""#),
        ("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}", "1:39", #"undefined variable "$x""#),
        // Constants.
        ("{{ 0x }}", "1:4", #"illegal number syntax: "0x""#),
        ("{{ 1__0 }}", "1:4", #"illegal number syntax: "1__0""#),
        ("{{ 99999999999999999999999 }}", "1:4", #"integer overflow: "99999999999999999999999""#),
        ("{{ 089 }}", "1:4", #"integer overflow: "089""#),
        ("{{ 2i }}", "1:4", #"complex number constants are not supported: "2i""#),
        ("{{ 'ab' }}", "1:4", "malformed character constant: 'ab'"),
        (#"{{ '\q' }}"#, "1:4", #"malformed character constant: '\q'"#),
        (#"{{ "\q" }}"#, "1:4", #"invalid syntax in string constant "\q""#),
        (#"{{ "\xZZ" }}"#, "1:4", #"invalid syntax in string constant "\xZZ""#),
        // Depth: parser and executor recurse once per level.
        ("{{ " + String(repeating: "(", count: 101) + "1" + String(repeating: ")", count: 101) + " }}", "1:104",
         "blocks and parentheses nest deeper than 100 levels"),
        (String(repeating: "{{if true}}", count: 101), "1:1103", "blocks and parentheses nest deeper than 100 levels"),
    ])
    func parseError(template: String, position: String, message: String) {
        let error = templateError(template)
        #expect(error?.phase == .parsing)
        #expect(error?.description == "template: test:\(position): \(message)")
        #expect(error.map { "\($0.line):\($0.column)" } == position)
        #expect(error?.message == message)
    }
}
