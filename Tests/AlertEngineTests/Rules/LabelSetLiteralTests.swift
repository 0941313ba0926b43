import MetricStore
import Testing

@testable import AlertEngine

struct LabelSetLiteralTests {
    @Test(arguments: [
        ("up{job=\"api\"}", Labels(["__name__": "up", "job": "api"])),
        ("up", Labels(["__name__": "up"])),
        ("{__name__=\"x\"}", Labels(["__name__": "x"])),
        ("{job=\"a\"}", Labels(["job": "a"])),
        ("{}", Labels.empty),
        ("", Labels.empty),
        ("  ", Labels.empty),
        (" up { job = \"a\" , instance=\"b\", } ", Labels(["__name__": "up", "instance": "b", "job": "a"])),
        ("job:up:sum{x='1'}", Labels(["__name__": "job:up:sum", "x": "1"])),
        ("sum{by=\"1\"}", Labels(["__name__": "sum", "by": "1"])),
        // Checked against promtool: raw strings keep backslashes; Go escapes otherwise.
        ("b{y='q', z=`r\\n`, w=\"\\u00e9\\x41\\101\",}", Labels(["__name__": "b", "w": "éAA", "y": "q", "z": "r\\n"])),
        ("a{q=\"\\\"\", s='\\'', t=\"\\t\\\\\", e=\"\\U0001F600\"}", Labels(["__name__": "a", "e": "😀", "q": "\"", "s": "'", "t": "\t\\"])),
        ("a{x=\"é\"}", Labels(["__name__": "a", "x": "é"])),
        // An empty value is no label, as in promtool's output.
        ("up{x=\"\"}", Labels(["__name__": "up"])),
        // Prometheus 3's quoted names.
        ("{\"metric.with.dots\", \"label.x\"=\"v\"}", Labels(["__name__": "metric.with.dots", "label.x": "v"])),
    ])
    func parses(text: String, labels: Labels) throws {
        #expect(try LabelSetLiteral.parse(text) == labels)
    }

    @Test(arguments: [
        ("up{job=\"a\"", 11, "unexpected end of text in label set, expected ',' or '}'"),
        ("up{job!=\"a\"}", 7, "unexpected '!=' in label set: a series has exact labels, only '=' is allowed"),
        ("up{job!~\"a\"}", 7, "unexpected '!~' in label set"),
        ("up{job=~\"a\"}", 7, "unexpected '=~' in label set"),
        ("up{job=\"a\"} 1", 13, "unexpected '1' in series, expected the end"),
        ("up job", 4, "unexpected 'j' in series, expected '{' or the end"),
        ("9up", 1, "unexpected '9' in series, expected a metric name or '{'"),
        ("up{9=\"a\"}", 4, "unexpected '9' in label set, expected a label name or '}'"),
        ("up{job}", 7, "unexpected '}' in label set, expected '=' after label \"job\""),
        ("up{job=a}", 8, "expected a quoted label value after '=', got 'a'"),
        ("up{job=\"a\" x=\"b\"}", 12, "unexpected 'x' in label set, expected ',' or '}'"),
        ("up{job=\"a\\q\"}", 10, "unknown escape sequence '\\q'"),
        ("up{job=\"a", 8, "unterminated string, opened at column 8"),
        ("up{job=\"a\nb\"}", 8, "unterminated string"),
        ("up{job=\"\\", 9, "unterminated escape sequence"),
        ("up{job=\"\\xzz\"}", 9, "escape sequence needs 2 hexadecimal digits"),
        ("up{job=\"\\18\"}", 9, "escape sequence needs 3 octal digits"),
        ("up{job=\"\\400\"}", 9, "octal escape sequence is more than 255"),
        ("up{job=\"\\uD800\"}", 9, "escape sequence is not a Unicode code point"),
        ("up{job=\"\\xff\"}", 8, "the string is not valid UTF-8"),
        ("up{job=\"a\",job=\"b\"}", 12, "label \"job\" is set twice"),
        ("up{__name__=\"x\"}", 4, "the metric name is set twice"),
        ("up{\"x\"}", 4, "the metric name is set twice"),
        ("{\"\"=\"x\"}", 2, "a label name must not be empty"),
    ])
    func reportsTheColumn(text: String, column: Int, message: String) {
        #expect {
            _ = try LabelSetLiteral.parse(text)
        } throws: { error in
            guard let error = error as? SeriesNotationError else { return false }
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            return true
        }
    }
}
