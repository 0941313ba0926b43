import Testing
@testable import AlertEngine

/// Every error the lexer and parser can report, with where it points.
struct PromQLParseErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let input: String
        let message: String
        let position: Int
        var testDescription: String { input }

        init(_ input: String, _ message: String, at position: Int) {
            self.input = input
            self.message = message
            self.position = position
        }
    }

    static let lexical: [Case] = [
        Case("foo $ bar", "unexpected character: '$'", at: 4),
        Case("$foo", "unexpected character: '$'", at: 0),
        Case("foo ! bar", "unexpected character after '!': ' '", at: 5),
        Case("foo !", "unexpected character after '!': end of input", at: 5),
        Case("foo{a$=\"b\"}", "unexpected character inside braces: '$'", at: 5),
        Case("foo{a{}", "unexpected character inside braces: '{'", at: 5),
        Case("foo[5m$]", "unexpected character inside brackets: '$'", at: 6),
        Case("foo[-5m]", "unexpected character inside brackets: '-'", at: 4),
        Case("foo[5x]", "bad number or duration syntax: \"5x\"", at: 4),
        Case("1.2.3", "bad number or duration syntax: \"1.2.3\"", at: 0),
        Case("1__0", "bad number or duration syntax: \"1__0\"", at: 0),
        Case("1 + 2e", "bad number or duration syntax: \"2e\"", at: 4),
        Case("0x1.8", "bad number or duration syntax: \"0x1.8\"", at: 0),
        Case("0xFFFFFFFFFFFFFFFFF", "number out of range: \"0xFFFFFFFFFFFFFFFFF\"", at: 0),
        Case("1 + 1e400", "number out of range: \"1e400\"", at: 4),
        Case("foo[5m1h]", "not a valid duration string: \"5m1h\"", at: 4),
        Case("foo[5mm]", "not a valid duration string: \"5mm\"", at: 4),
        Case("foo[99999999999999999y]", "duration out of range: \"99999999999999999y\"", at: 4),
        Case("\"abc", "unterminated quoted string", at: 0),
        Case("foo{a=\"b\nc\"}", "unterminated quoted string", at: 6),
        Case("`abc", "unterminated raw string", at: 0),
        Case(#""\q""#, #"unknown escape sequence \q"#, at: 1),
        Case(#"'it\"s'"#, #"unknown escape sequence \""#, at: 3),
        Case(#""\xZZ""#, "illegal character 'Z' in escape sequence", at: 1),
        Case(#""\uD800""#, "escape sequence is an invalid Unicode code point", at: 1),
        Case(#""\U00110000""#, "escape sequence is an invalid Unicode code point", at: 1),
        Case(#""\x4"#, "escape sequence not terminated", at: 1),
        Case(#""abc\"#, "escape sequence not terminated", at: 4),
        Case("sum(rate(x[5m])", "unclosed left parenthesis", at: 3),
        Case("foo[5m", "unclosed left bracket", at: 3),
        Case("foo{a=\"b\"", "unclosed left brace", at: 3),
        // Positions count runes: "é" as e and a combining accent is two, as in Go.
        Case("\"e\u{301}\" $", "unexpected character: '$'", at: 5),
        Case("up{a=\"x\"\u{301}}", "unexpected character inside braces: '\u{301}'", at: 8),
        Case("\"\\x4\u{301}\"", "illegal character '\u{301}' in escape sequence", at: 1),
    ]

    static let syntax: [Case] = [
        Case("", "no expression found in input", at: 0),
        Case("  # only a comment", "no expression found in input", at: 0),
        Case("foo bar", "unexpected identifier \"bar\"", at: 4),
        Case("foo \"a long string\"", "unexpected string \"a long st...", at: 4),
        Case("foo 'short'", "unexpected string 'short'", at: 4),
        Case("1)", "unexpected \")\"", at: 1),
        Case("foo{a=\"b\"}{c=\"d\"}", "unexpected \"{\"", at: 10),
        Case("1 +", "unexpected end of input, expected expression", at: 3),
        Case("rate(}", "unexpected \"}\", expected expression", at: 5),
        Case("a + group_left b", "unexpected \"group_left\", expected expression", at: 4),
        Case("(1 2)", "unexpected number \"2\" in parenthesized expression, expected \")\"", at: 3),
        Case("foo{=\"b\"}", "unexpected \"=\" in label matching, expected identifier or \"}\"", at: 4),
        Case("foo{a=\"b\",,}", "unexpected \",\" in label matching, expected identifier or \"}\"", at: 10),
        Case("foo{a}", "unexpected \"}\" in label matching, expected label matching operator", at: 5),
        Case("foo{a==\"b\"}", "unexpected \"=\" in label matching, expected string", at: 6),
        Case("foo{a<\"b\"}", "unexpected character inside braces: '<'", at: 5),
        Case("foo{a=b}", "unexpected identifier \"b\" in label matching, expected string", at: 6),
        Case("foo{a=\"b\" c=\"d\"}", "unexpected identifier \"c\" in label matching, expected \",\" or \"}\"", at: 10),
        Case("rate(x y)", "unexpected identifier \"y\" in function call, expected \",\" or \")\"", at: 7),
        Case("sum(x y)", "unexpected identifier \"y\" in aggregation, expected \",\" or \")\"", at: 6),
        Case("rate(x[5m],)", "trailing commas not allowed in function call args", at: 10),
        Case("sum by (a) x", "unexpected identifier \"x\" in aggregation, expected \"(\"", at: 11),
        Case("sum by a (x)", "unexpected identifier \"a\" in grouping opts, expected \"(\"", at: 7),
        Case("sum by (a:b) (x)", "unexpected metric identifier \"a:b\" in grouping opts, expected label", at: 8),
        Case("sum by (a,,b) (x)", "unexpected \",\" in grouping opts, expected label", at: 10),
        Case("sum by (a b) (x)", "unexpected identifier \"b\" in grouping opts, expected \",\" or \")\"", at: 10),
        Case("a + on b", "unexpected identifier \"b\" in grouping opts, expected \"(\"", at: 7),
        Case("foo offset bar", "unexpected identifier \"bar\" in offset, expected number or duration", at: 11),
        Case("foo @ bar", "unexpected identifier \"bar\" in @, expected timestamp", at: 6),
        Case("foo @ start", "unexpected end of input in @, expected \"(\"", at: 11),
        Case("foo @ end(1)", "unexpected number \"1\" in @, expected \")\"", at: 10),
        Case("foo[]", "unexpected \"]\" in subquery or range selector, expected number or duration", at: 4),
        Case("foo[5m 1m]", "unexpected duration \"1m\" in subquery or range, expected \":\" or \"]\"", at: 7),
        Case("foo[5m::]", "unexpected \":\" in subquery selector, expected number, duration or \"]\"", at: 7),
        Case("foo[5m:1m 2m]", "unexpected duration \"2m\" in subquery selector, expected \"]\"", at: 10),
    ]

    static let semantic: [Case] = [
        Case("{}", "vector selector must contain at least one non-empty matcher", at: 0),
        Case("x + {a=\"\", b=~\".*\"}", "vector selector must contain at least one non-empty matcher", at: 4),
        Case("foo{__name__=\"bar\"}", "metric name must not be set twice: \"foo\" or \"bar\"", at: 0),
        Case("foo{\"bar\"}", "metric name must not be set twice: \"foo\" or \"bar\"", at: 0),
        Case("foo{a=~\"(\"}", "invalid regular expression in a=~\"(\": error parsing regexp: missing closing ): `(`", at: 7),
        Case("foo{a=~\"(a)\\\\1\"}", "invalid regular expression in a=~\"(a)\\1\": error parsing regexp: invalid escape sequence: `\\1`", at: 7),
        Case("foo{a!~\"a*+\"}", "invalid regular expression in a!~\"a*+\": error parsing regexp: invalid nested repetition operator: `*+`", at: 7),
        Case("(foo)[5m]", "ranges only allowed for vector selectors", at: 5),
        Case("foo[5m][5m]", "ranges only allowed for vector selectors", at: 7),
        Case("foo offset 5m [5m]", "no offset modifiers allowed before range", at: 14),
        Case("foo @ 100 [5m]", "no @ modifiers allowed before range", at: 10),
        Case("sum(foo) offset 5m", "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: 9),
        Case("foo offset 5m offset 1m", "offset may not be set multiple times", at: 14),
        Case("1 @ 100", "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: 2),
        Case("foo @ 1 @ 2", "@ <timestamp> may not be set multiple times", at: 8),
        Case("foo @ Inf", "timestamp out of bounds for @ modifier: +Inf", at: 6),
        Case("foo[0s]", "duration must be greater than 0", at: 4),
        Case("foo[5m:0]", "duration must be greater than 0", at: 7),
        Case("foo offset 1e30", "duration out of range: \"1e30\"", at: 11),
        Case("foo[5m][10m:]", "subquery is only allowed on instant vector, got range vector instead", at: 0),
        Case("\"a\"[5m:]", "subquery is only allowed on instant vector, got string instead", at: 0),
        Case("foo(bar)", "unknown function with name \"foo\"", at: 0),
        Case("Rate(x[5m])", "unknown function with name \"Rate\"", at: 0),
        Case("rate()", "expected 1 argument(s) in call to \"rate\", got 0", at: 0),
        Case("label_join(x, \"a\")", "expected at least 3 argument(s) in call to \"label_join\", got 2", at: 0),
        Case("round(x, 1, 2)", "expected at most 2 argument(s) in call to \"round\", got 3", at: 0),
        Case("rate(foo)", "expected type range vector in call to function \"rate\", got instant vector", at: 5),
        Case("label_join(x, \"d\", \",\", \"a\", 1)", "expected type string in call to function \"label_join\", got scalar", at: 29),
        Case("sum()", "no arguments for aggregate expression provided", at: 0),
        Case("topk(foo)", "wrong number of arguments for aggregate expression provided, expected 2, got 1", at: 0),
        Case("sum(a, b)", "wrong number of arguments for aggregate expression provided, expected 1, got 2", at: 0),
        Case("sum(foo[5m])", "expected type instant vector in aggregation expression, got range vector", at: 4),
        Case("topk(\"a\", foo)", "expected type scalar in aggregation parameter, got string", at: 5),
        Case("count_values(1, foo)", "expected type string in aggregation parameter, got scalar", at: 13),
        Case("a + bool b", "bool modifier can only be used on comparison operators", at: 2),
        Case("1 > 2", "comparisons between scalars must use BOOL modifier", at: 2),
        Case("a + on(b) group_left(b) c", "label \"b\" must not occur in ON and GROUP clause at once", at: 2),
        Case("foo[5m] + 1", "binary expression must contain only scalar and instant vector types", at: 0),
        Case("1 + \"a\"", "binary expression must contain only scalar and instant vector types", at: 4),
        Case("1 + on(a) foo", "vector matching only allowed between instant vectors", at: 2),
        Case("a and on(b) group_left c", "no grouping allowed for \"and\" operation", at: 2),
        Case("1 and foo", "set operator \"and\" not allowed in binary scalar expression", at: 2),
        Case("-foo[5m]", "unary expression only allowed on expressions of type scalar or instant vector, got range vector", at: 0),
        Case("+\"a\"", "unary expression only allowed on expressions of type scalar or instant vector, got string", at: 0),
    ]

    @Test(arguments: lexical + syntax + semantic)
    func reportsMessageAndPosition(_ testCase: Case) {
        do {
            let parsed = try PromQLParser.parse(testCase.input)
            Issue.record("parsed as \(parsed)")
        } catch {
            #expect(error.message.contains(testCase.message), "\(error.message)")
            #expect(error.position == testCase.position)
            #expect(error.input == testCase.input)
        }
    }

    @Test func descriptionDrawsACaretUnderTheOffendingCharacter() {
        let error = #expect(throws: PromQLParseError.self) { try PromQLParser.parse("rate(}") }
        #expect(error?.description == """
            parse error at char 5: unexpected "}", expected expression
            rate(}
                 ^
            """)
    }

    @Test func descriptionShowsOnlyTheLineAtFaultInMultiLineQueries() {
        let error = #expect(throws: PromQLParseError.self) { try PromQLParser.parse("sum by (job) (\n\trate(x[5m] $)\n)") }
        #expect(error?.description == "parse error at char 27 (line 2, column 13): unexpected character: '$'\n\trate(x[5m] $)\n\t           ^")
    }

    @Test func windowsLineEndsCountOnce() {
        let error = #expect(throws: PromQLParseError.self) { try PromQLParser.parse("sum by (job) (\r\n\trate(x[5m] $)\r\n)") }
        #expect(error?.description == "parse error at char 28 (line 2, column 13): unexpected character: '$'\n\trate(x[5m] $)\n\t           ^")
    }

    @Test func caretAtEndOfInput() {
        let error = #expect(throws: PromQLParseError.self) { try PromQLParser.parse("1 +") }
        #expect(error?.description == "parse error at char 3: unexpected end of input, expected expression\n1 +\n   ^")
    }
}
