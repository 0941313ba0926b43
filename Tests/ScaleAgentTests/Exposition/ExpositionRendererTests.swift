import MetricStore
import Testing

@testable import ScaleAgent

@Suite struct ExpositionRendererTests {
    static let families: [MetricFamily] = {
        var metrics = MetricsBuilder()
        metrics.gauge("b_gauge", "A gauge with \\ and\nnewline.", 1.5, ["z": "2", "a": "quote\"back\\slash\nnl"])
        metrics.gauge("b_gauge", "ignored", -0.25, ["z": "1", "a": "x"])
        metrics.counter("a_requests_total", "Requests.", 42)
        metrics.untypedInTextCounter("c_vmstat_oom_kill", "Counter without _total.", 3)
        metrics.untyped("d_untyped", "Untyped.", .nan)
        metrics.gauge("e_inf", "Infinities.", .infinity, ["sign": "+"])
        metrics.gauge("e_inf", "Infinities.", -.infinity, ["sign": "-"])
        metrics.gauge("f_big", "Large and small.", 1.7e18, ["k": "big"])
        metrics.gauge("f_big", "Large and small.", 0.000123, ["k": "small"])
        return metrics.build()
    }()

    @Test func textFormat() {
        let text = String(decoding: ExpositionRenderer.render(Self.families, as: .text), as: UTF8.self)
        #expect(
            text == """
                # HELP a_requests_total Requests.
                # TYPE a_requests_total counter
                a_requests_total 42
                # HELP b_gauge A gauge with \\\\ and\\nnewline.
                # TYPE b_gauge gauge
                b_gauge{a="quote\\"back\\\\slash\\nnl",z="2"} 1.5
                b_gauge{a="x",z="1"} -0.25
                # HELP c_vmstat_oom_kill Counter without _total.
                # TYPE c_vmstat_oom_kill untyped
                c_vmstat_oom_kill 3
                # HELP d_untyped Untyped.
                # TYPE d_untyped untyped
                d_untyped NaN
                # HELP e_inf Infinities.
                # TYPE e_inf gauge
                e_inf{sign="+"} +Inf
                e_inf{sign="-"} -Inf
                # HELP f_big Large and small.
                # TYPE f_big gauge
                f_big{k="big"} 1.7e+18
                f_big{k="small"} 0.000123

                """)
    }

    /// node_exporter's untyped vmstat counters: untyped in the text, a counter to the metadata API.
    @Test func aCounterDeclaredUntypedInTextStaysACounter() {
        let family = Self.families.first { $0.name == "c_vmstat_oom_kill" }
        #expect(family?.type == .counter)
        #expect(family?.untypedInText == true)
    }

    @Test func openMetricsKeepsTheStoredSampleNames() {
        let text = String(decoding: ExpositionRenderer.render(Self.families, as: .openMetrics), as: UTF8.self)
        #expect(text.contains("# TYPE a_requests counter\na_requests_total 42\n"))
        // A counter not ending in _total must not get a _total sample name: declared unknown.
        #expect(text.contains("# TYPE c_vmstat_oom_kill unknown\nc_vmstat_oom_kill 3\n"))
        #expect(text.contains("# TYPE d_untyped unknown\n"))
        #expect(text.contains("# HELP b_gauge A gauge with \\\\ and\\nnewline.\n"))
        #expect(text.hasSuffix("# EOF\n"))
    }

    @Test(arguments: [
        (1.0, "1"), (0.0, "0"), (-0.0, "-0"), (123456.0, "123456"), (123456789012.0, "1.23456789012e+11"), (0.5, "0.5"), (1e15, "1e+15"), (1e16, "1e+16"),
        (-3.0, "-3"), (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func values(_ value: Double, _ expected: String) {
        #expect(PrometheusFloat.general(value) == expected)
    }

    @Test(arguments: [
        (nil, ExpositionFormat.text),
        ("*/*", .text),
        ("text/plain", .text),
        ("application/openmetrics-text", .openMetrics),
        // Prometheus 2.42's default scrape Accept header.
        ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .openMetrics),
        ("text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5", .text),
        ("application/openmetrics-text;version=2.0.0", .text),
        ("application/openmetrics-text;q=0", .text),
    ] as [(String?, ExpositionFormat)])
    func negotiation(_ accept: String?, _ expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == expected)
    }

    @Test func gzipProducesAGzipStream() throws {
        let body = ExpositionRenderer.render(Self.families, as: .text)
        let compressed = try Gzip.compress(body)
        #expect(compressed.starts(with: [0x1f, 0x8b]))
        #expect(compressed.count < body.count)
    }

    @Test func snapshotCachesBodiesPerFormatAndEncoding() {
        let snapshot = MetricsSnapshot(families: Self.families, collectedAt: .now, timestampMilliseconds: 0)
        let plain = snapshot.body(format: .text, gzip: false)
        let zipped = snapshot.body(format: .text, gzip: true)
        #expect(!plain.isGzipped && zipped.isGzipped)
        #expect(plain.bytes == snapshot.body(format: .text, gzip: false).bytes)
        #expect(snapshot.body(format: .openMetrics, gzip: false).bytes != plain.bytes)
    }
}
