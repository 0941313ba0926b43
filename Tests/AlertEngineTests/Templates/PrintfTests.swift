import AlertEngine
import Testing

/// `printf`, `print` and `println` follow Go's `fmt`; expectations are what Go prints.
@Suite struct PrintfTests {
    @Test(arguments: [
        (#"{{ printf "%.2f" 0.5 }}"#, "0.50"), (#"{{ printf "%f" 3.0 }}"#, "3.000000"), (#"{{ printf "%.0f" 2.5 }}"#, "2"),
        (#"{{ printf "%.2f" 0.125 }}"#, "0.12"), (#"{{ printf "%8.3f|" 3.14159 }}"#, "   3.142|"),
        (#"{{ printf "%-8.3f|" 3.14159 }}"#, "3.142   |"), (#"{{ printf "%08.3f" -3.14159 }}"#, "-003.142"),
        (#"{{ printf "%+.1f" 2.0 }}"#, "+2.0"), (#"{{ printf "% .1f" 2.0 }}"#, " 2.0"), (#"{{ printf "%g" 1000000.0 }}"#, "1e+06"),
        (#"{{ printf "%g" 100000.0 }}"#, "100000"), (#"{{ printf "%g" 0.0001 }}"#, "0.0001"), (#"{{ printf "%g" 0.00001 }}"#, "1e-05"),
        (#"{{ printf "%.3g" 1234.5678 }}"#, "1.23e+03"), (#"{{ printf "%G" 1e-10 }}"#, "1E-10"),
        (#"{{ printf "%e" 1234.5678 }}"#, "1.234568e+03"), (#"{{ printf "%.2E" 0.000123 }}"#, "1.23E-04"),
        (#"{{ printf "%v" 0.1 }}"#, "0.1"), (#"{{ printf "%.2v" 3.14159 }}"#, "3.1"), (#"{{ printf "%#g" 1.0 }}"#, "1.00000"),
        (#"{{ printf "%#.0f" 3.0 }}"#, "3."), (#"{{ printf "%x" 1.5 }}"#, "0x1.8p+00"), (#"{{ printf "%F" 1.5 }}"#, "1.500000"),
        (#"{{ printf "%5.1f|%-5.1f|" 1.25 1.35 }}"#, "  1.2|1.4  |"),
    ])
    func floats(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    /// Inf and NaN are never zero-padded, and NaN has a sign only when one is asked for.
    @Test(arguments: [
        (Double.infinity, "+Inf|    +Inf|+Inf| Inf|+Inf"), (-Double.infinity, "-Inf|    -Inf|-Inf|-Inf|-Inf"),
        (Double.nan, "NaN|     NaN|+NaN| NaN|NaN"),
    ])
    func infinitiesAndNaN(value: Double, expected: String) throws {
        var data = exampleAlertData
        data.value = value
        #expect(try renderAlertTemplate(#"{{ printf "%f|%08.2f|%+f|% f|%v" $value $value $value $value $value }}"#, data) == expected)
    }

    @Test(arguments: [
        (#"{{ printf "%d" 42 }}"#, "42"), (#"{{ printf "%5d|%-5d|" 42 42 }}"#, "   42|42   |"), (#"{{ printf "%05d" -42 }}"#, "-0042"),
        (#"{{ printf "%+d % d" 42 42 }}"#, "+42  42"), (#"{{ printf "%.3d" 7 }}"#, "007"), (#"{{ printf "%08.3d|" 7 }}"#, "     007|"),
        (#"{{ printf "%x %X %#x %#X" 255 255 255 255 }}"#, "ff FF 0xff 0XFF"), (#"{{ printf "%x" -255 }}"#, "-ff"),
        (#"{{ printf "%o %#o %O %b %#b" 8 8 8 5 5 }}"#, "10 010 0o10 101 0b101"), (#"{{ printf "%c%c" 72 233 }}"#, "Hé"),
        (#"{{ printf "%q" 97 }}"#, "'a'"), (#"{{ printf "%U %#U" 233 233 }}"#, "U+00E9 U+00E9 'é'"), (#"{{ printf "%v" 'x' }}"#, "120"),
        (#"{{ printf "%.0d|" 0 }}"#, "|"),
    ])
    func integers(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    @Test(arguments: [
        (#"{{ printf "%s and %v" "a" "b" }}"#, "a and b"), (#"{{ printf "%q" "say \"hi\"\n" }}"#, #""say \"hi\"\n""#),
        (#"{{ printf "%+q" "héllo" }}"#, #""h\u00e9llo""#), (#"{{ printf "%#q" "abc" }}"#, "`abc`"),
        (#"{{ printf "%6s|%-6s|%.2s|%5.1s|" "ab" "ab" "abc" "xyz" }}"#, "    ab|ab    |ab|    x|"),
        (#"{{ printf "%x % X %#x" "hi" "hi" "hi" }}"#, "6869 68 69 0x6869"), (#"{{ printf "%#v" "a" }}"#, #""a""#),
        (#"{{ printf "%05s" "ab" }}"#, "000ab"), (#"{{ printf "%t %v" true false }}"#, "true false"),
        (#"{{ printf "%v" .Labels }}"#, "map[__name__:up instance:web-1:9100 job:node severity:page]"),
        (#"{{ printf "%v" .ExternalLabels }}"#, "map[cluster:eu1]"),
        (#"{{ printf "%+v" . }}"#, "{Labels:map[__name__:up instance:web-1:9100 job:node severity:page] ExternalLabels:map[cluster:eu1] ExternalURL:http://prometheus.example:9090/prom Value:0.5}"),
        (#"{{ printf "%T %T %T %T %T" 1 1.5 "s" true .Labels }}"#, "int float64 string bool map[string]string"),
        (#"{{ printf "%[2]d %[1]d" 1 2 }}"#, "2 1"), (#"{{ printf "%*d|%-*d|" 5 42 4 7 }}"#, "   42|7   |"),
        (#"{{ printf "%.*f" 2 3.14159 }}"#, "3.14"), (#"{{ printf "100%%" }}"#, "100%"),
    ])
    func stringsAndOthers(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    /// Go writes format mistakes into the output instead of failing.
    @Test(arguments: [
        (#"{{ printf "%d" "x" }}"#, "%!d(string=x)"), (#"{{ printf "%s" 1 }}"#, "%!s(int=1)"),
        (#"{{ printf "%d" 1.5 }}"#, "%!d(float64=1.5)"), (#"{{ printf "%5d" "ab" }}"#, "%!d(string=   ab)"),
        (#"{{ printf "%t" 1 }}"#, "%!t(int=1)"), (#"{{ printf "%z" 1 }}"#, "%!z(int=1)"),
        (#"{{ printf "%d %d" 1 }}"#, "1 %!d(MISSING)"), (#"{{ printf "%d" 1 2 "x" }}"#, "1%!(EXTRA int=2, string=x)"),
        (#"{{ printf "50%" }}"#, "50%!(NOVERB)"), (#"{{ printf "%[3]d" 1 }}"#, "%!d(BADINDEX)"),
        (#"{{ printf "%*d" "x" 1 }}"#, "%!(BADWIDTH)1"), (#"{{ printf "%.*d" "x" 1 }}"#, "%!(BADPREC)1"),
        (#"{{ printf "%v %d" nil nil }}"#, "<nil> %!d(<nil>)"), (#"{{ printf "%d" .Labels }}"#, "map[%!d(string=__name__):%!d(string=up) %!d(string=instance):%!d(string=web-1:9100) %!d(string=job):%!d(string=node) %!d(string=severity):%!d(string=page)]"),
    ])
    func formatMistakesAreWrittenOut(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }

    @Test(arguments: [
        (#"{{ print 1 2 }}"#, "1 2"), (#"{{ print "a" "b" }}"#, "ab"), (#"{{ print "a" 1 "b" }}"#, "a1b"),
        (#"{{ print 1 2 "c" 3 4 }}"#, "1 2c3 4"), (#"{{ print }}"#, ""), (#"{{ println "a" 1 }}"#, "a 1\n"),
        (#"{{ print 0.5 true nil }}"#, "0.5 true <nil>"),
    ])
    func printAndPrintln(template: String, expected: String) throws {
        #expect(try renderTemplate(template) == expected)
    }
}
