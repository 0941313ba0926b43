import AlertEngine
import Testing

/// Prometheus' string, regex, host and URL functions. Host cases are Prometheus' own tests.
@Suite struct StringFunctionTests {
    @Test(arguments: [
        (#"{{ "aa bb CC" | title }}"#, "Aa Bb CC"), (#"{{ title "hello_world foo-bar x.y" }}"#, "Hello_world Foo-Bar X.Y"),
        (#"{{ title "élan vital" }}"#, "Élan Vital"), (#"{{ title "ǆemal" }}"#, "ǅemal"),
        (#"{{ "aa bb CC" | toUpper }}"#, "AA BB CC"), (#"{{ toUpper "straße" }}"#, "STRAßE"),
        (#"{{ "aA bB CC" | toLower }}"#, "aa bb cc"), (#"{{ toLower "İSTANBUL" }}"#, "istanbul"),
        (#"{{ "<b>" | safeHtml }}"#, "<b>"), (#"{{ html "<a href='x'>\"&\"</a>" }}"#, "&lt;a href=&#39;x&#39;&gt;&#34;&amp;&#34;&lt;/a&gt;"),
        (#"{{ urlquery "a b&c/é" }}"#, "a+b%26c%2F%C3%A9"), (#"{{ html 1 2 }}"#, "1 2"),
    ])
    func caseAndEscaping(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    @Test(arguments: [
        (#"{{ match "a+" "aa" }} {{ match "a+" "b" }}"#, "true false"), (#"{{ match "^web" .Labels.instance }}"#, "true"),
        (#"{{ match "(?i)NODE" .Labels.job }}"#, "true"), (#"{{ match "^\\d$" "١" }}"#, "false"),
        (#"{{ match "o$" "foo\n" }}"#, "false"),
        (#"{{ reReplaceAll "(a)b" "x$1" "ab" }}"#, "xa"), (#"{{ reReplaceAll "a*" "-" "baaac" }}"#, "-b-c-"),
        (#"{{ reReplaceAll "" "-" "ab" }}"#, "-a-b-"), (#"{{ reReplaceAll "^a" "b" "aaa" }}"#, "baa"),
        (#"{{ reReplaceAll "(?P<host>[^:]+):(?P<port>\\d+)" "${port}@${host}" .Labels.instance }}"#, "9100@web-1"),
        (#"{{ reReplaceAll "(a)" "$1x" "a" }}"#, ""), (#"{{ reReplaceAll "(a)" "${1}x" "a" }}"#, "ax"),
        (#"{{ reReplaceAll "a" "$$" "a" }}"#, "$"), (#"{{ reReplaceAll "a" "$" "a" }}"#, "$"), (#"{{ reReplaceAll "a" "${" "a" }}"#, "${"),
        (#"{{ reReplaceAll "(a)(b)?" "[$2]" "a" }}"#, "[]"), (#"{{ reReplaceAll "é" "e" "café" }}"#, "cafe"),
        (#"{{ reReplaceAll "(\\w+)@(\\w+)" "$2 at $1" "x@y z@w" }}"#, "y at x w at z"),
        // Empty matches advance by a code point, not a byte; named groups may repeat.
        (#"{{ reReplaceAll "" "-" "éa" }}"#, "-é-a-"), (#"{{ reReplaceAll "x*" "-" "aé" }}"#, "-a-é-"),
        (#"{{ reReplaceAll "(?P<n>a)|(?<n>b)" "[$n]" "ab" }}"#, "[a][b]"), (#"{{ reReplaceAll "\\bb" "B" "bb b" }}"#, "Bb B"),
        (#"{{ match "a.b" "a\nb" }} {{ match "(?s)a.b" "a\nb" }}"#, "false true"), (#"{{ match "\\pL" "ß" }}"#, "true"),
    ])
    func regularExpressions(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    @Test func nestedRepetitionDoesNotHang() throws {
        let text = String(repeating: "a", count: 3000)
        let clock = ContinuousClock()
        var rendered: [String] = []
        let elapsed = try clock.measure {
            rendered = [
                try renderTemplate(#"{{ match "(a*)*b" "\#(text)" }}"#),
                try renderTemplate(#"{{ reReplaceAll "(a*)*b" "x" "\#(text)" }}"#),
            ]
        }
        #expect(rendered == ["false", text])
        #expect(elapsed < .seconds(1))
    }

    @Test(arguments: [
        ("foo.example.com", "foo.example.com", "foo"), ("foo.example.com:12345", "foo.example.com", "foo:12345"),
        ("192.0.2.1", "192.0.2.1", "192.0.2.1"), ("192.0.2.1:12345", "192.0.2.1", "192.0.2.1:12345"),
        ("2001:0DB8::1", "2001:0DB8::1", "2001:0DB8::1"), ("[2001:0DB8::1]:12345", "2001:0DB8::1", "[2001:0DB8::1]:12345"),
        ("[2001:0DB8::1]::12345", "[2001:0DB8::1]::12345", "[2001:0DB8::1]::12345"),
        ("foo.bar:", "foo.bar", "foo"), ("192.0.2.01:80", "192.0.2.01", "192:80"), ("::ffff:192.0.2.1", "::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("[::1]:9100", "::1", "[::1]:9100"), ("web-1", "web-1", "web-1"),
    ])
    func hostAndPort(address: String, withoutPort: String, withoutDomain: String) throws {
        #expect(try renderTemplate("{{ \"\(address)\" | stripPort }}") == withoutPort)
        #expect(try renderTemplate("{{ \"\(address)\" | stripDomain }}") == withoutDomain)
    }

    @Test(arguments: [
        (#"{{ graphLink "up" }}"#, "/graph?g0.expr=up&g0.tab=0"),
        (#"{{ tableLink "rate(x[5m]) > 1" }}"#, "/graph?g0.expr=rate%28x%5B5m%5D%29+%3E+1&g0.tab=1"),
        ("{{ externalURL }}", "http://prometheus.example:9090/prom"), ("{{ pathPrefix }}", "/prom"),
        (#"{{ printf "%0.2f" (parseDuration "1h2m10ms") }}"#, "3720.01"), (#"{{ parseDuration "0" }}"#, "0"),
        (#"{{ parseDuration "1d" }}"#, "86400"), (#"{{ parseDuration "1w" }}"#, "604800"), (#"{{ parseDuration "1y" }}"#, "3.1536e+07"),
        (#"{{ parseDuration "90s" }}"#, "90"),
    ])
    func linksAndDurations(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    @Test(arguments: [
        ("http://host:9090/a/b?x=1#f", "/a/b"), ("https://host", ""), ("http://host/with%20space", "/with space"), ("/relative", "/relative"),
    ])
    func pathPrefixIsTheDecodedPath(url: String, path: String) throws {
        #expect(try renderTemplate("{{ pathPrefix }}", TemplateData(externalURL: url)) == path)
    }
}
