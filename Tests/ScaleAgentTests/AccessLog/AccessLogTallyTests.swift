import MetricStore
import Testing

@testable import ScaleAgent

@Suite struct AccessLogTallyTests {
    static func line(_ host: String, _ status: Int, _ time: String, upstream: String = "10.0.0.1:80", method: String = "GET") -> String {
        #"\#(host) \#(status) "\#(method) / HTTP/1.1" 100 \#(time) \#(upstream) \#(time)"#
    }

    static let pattern = #"$host $status "$request" $body_bytes_sent $request_time $upstream_addr $upstream_response_time"#

    private func tally(_ lines: [String], settings: AccessLogTally.Settings = .init(), vhost: String? = "host") throws -> AccessLogTally {
        let parser = AccessLogLineParser(format: try AccessLogFormat.compile(Self.pattern), vhostVariable: vhost)
        var tally = AccessLogTally(parser: parser, settings: settings)
        for line in lines {
            var line = line
            line.withUTF8 { tally.record($0) }
        }
        return tally
    }

    private func rendered(_ tally: AccessLogTally, namespace: String = "nginx") -> [String: Double] {
        var families = AccessLogFamilies()
        families.add(tally, namespace: namespace)
        var builder = MetricsBuilder()
        families.render(into: &builder)
        var values: [String: Double] = [:]
        for family in builder.build() {
            for sample in family.samples {
                let labels = sample.labels.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                values["\(sample.name(in: family)){\(labels)}"] = sample.value
            }
        }
        return values
    }

    @Test func countsHistogramsAndParseErrors() throws {
        let tally = try tally([
            Self.line("a", 200, "0.004"), Self.line("a", 200, "0.030"), Self.line("a", 504, "60.000"), "garbage", "",
            Self.line("a", 200, "-", upstream: "-"),
        ])
        let values = rendered(tally)
        #expect(tally.lines == 6)
        #expect(values["nginx_parse_errors_total{}"] == 2)
        #expect(values["nginx_http_response_count_total{method=GET,status=200,upstream=10.0.0.1:80,vhost=a}"] == 2)
        #expect(values["nginx_http_response_count_total{method=GET,status=200,vhost=a}"] == 1)
        #expect(values["nginx_http_response_count_total{method=GET,status=504,upstream=10.0.0.1:80,vhost=a}"] == 1)
        #expect(values["nginx_http_response_size_bytes{method=GET,status=200,upstream=10.0.0.1:80,vhost=a}"] == 200)
        let bucket = "nginx_http_response_time_seconds_hist_bucket{le=%@,method=GET,status=200,upstream=10.0.0.1:80,vhost=a}"
        func le(_ bound: String) -> Double? { values[bucket.replacingOccurrences("%@", bound)] }
        #expect(le("0.005") == 1 && le("0.01") == 1 && le("0.025") == 1 && le("0.05") == 2 && le("10") == 2 && le("+Inf") == 2)
        #expect(values["nginx_http_response_time_seconds_hist_count{method=GET,status=200,upstream=10.0.0.1:80,vhost=a}"] == 2)
        #expect(values["nginx_http_upstream_time_seconds_hist_sum{method=GET,status=504,upstream=10.0.0.1:80,vhost=a}"] == 60)
        #expect(values["nginx_http_upstream_time_seconds_hist_bucket{le=10,method=GET,status=504,upstream=10.0.0.1:80,vhost=a}"] == 0)
        #expect(values["nginx_http_upstream_time_seconds_hist_bucket{le=+Inf,method=GET,status=504,upstream=10.0.0.1:80,vhost=a}"] == 1)
        // The line without timings has no histogram series.
        #expect(values["nginx_http_response_time_seconds_hist_count{method=GET,status=200,vhost=a}"] == nil)
    }

    @Test func boundedLabelsOverflowIntoOther() throws {
        var lines: [String] = []
        for index in 0..<10 { lines.append(Self.line("host\(index)", 200, "0.1", upstream: "10.0.0.\(index):80")) }
        lines.append(Self.line("other", 200, "0.1"))
        lines.append(Self.line("host0", 200, "0.1", upstream: "10.0.0.0:80", method: "BREW"))
        let tally = try tally(lines, settings: .init(maxVhosts: 3, maxUpstreams: 2))
        #expect(tally.vhosts.values == ["host0", "host1", "host2", "other"])
        #expect(tally.upstreams.values == ["10.0.0.0:80", "10.0.0.1:80", "other"])
        let values = rendered(tally)
        #expect(values["nginx_http_response_count_total{method=GET,status=200,upstream=other,vhost=other}"] == 7)
        // A host really called "other" counts with the overflow, and no bound is passed by it.
        #expect(values["nginx_http_response_count_total{method=GET,status=200,upstream=10.0.0.1:80,vhost=other}"] == 1)
        #expect(values["nginx_http_response_count_total{method=other,status=200,upstream=10.0.0.0:80,vhost=host0}"] == 1)
    }

    @Test func fixedVhostAndNamespace() throws {
        let tally = try tally([Self.line("ignored", 301, "0.2")], settings: .init(buckets: [0.1, 1], fixedVhost: "shop"), vhost: nil)
        let values = rendered(tally, namespace: "haproxy")
        #expect(values["haproxy_http_response_count_total{method=GET,status=301,upstream=10.0.0.1:80,vhost=shop}"] == 1)
        #expect(values["haproxy_http_response_time_seconds_hist_bucket{le=1,method=GET,status=301,upstream=10.0.0.1:80,vhost=shop}"] == 1)
        #expect(values["haproxy_http_response_time_seconds_hist_bucket{le=0.1,method=GET,status=301,upstream=10.0.0.1:80,vhost=shop}"] == 0)
    }

    @Test func twoSourcesOfOneNamespaceAreSummed() throws {
        let first = try tally([Self.line("a", 200, "0.1")])
        let second = try tally([Self.line("a", 200, "0.1"), "junk"])
        var families = AccessLogFamilies()
        families.add(first, namespace: "nginx")
        families.add(second, namespace: "nginx")
        var builder = MetricsBuilder()
        families.render(into: &builder)
        let count = builder.build().first { $0.name == "nginx_http_response_count_total" }
        #expect(count?.samples.map(\.value) == [2])
        #expect(builder.build().first { $0.name == "nginx_parse_errors_total" }?.samples.map(\.value) == [1])
    }

    @Test func timesAreTypedHistogramsInTheExposition() throws {
        let recorded = try self.tally([Self.line("a", 200, "0.020")], vhost: nil)
        var families = AccessLogFamilies()
        families.add(recorded, namespace: "nginx")
        var builder = MetricsBuilder()
        families.render(into: &builder)
        let text = String(decoding: ExpositionRenderer.render(builder.build(), as: .text), as: UTF8.self)
        #expect(text.contains("# TYPE nginx_http_response_time_seconds_hist histogram\n"))
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("nginx_http_response_time_seconds_hist") }
        #expect(lines.first == #"nginx_http_response_time_seconds_hist_bucket{le="0.005",method="GET",status="200",upstream="10.0.0.1:80"} 0"#)
        #expect(lines.dropLast(2).last == #"nginx_http_response_time_seconds_hist_bucket{le="+Inf",method="GET",status="200",upstream="10.0.0.1:80"} 1"#)
        #expect(lines.suffix(2) == [
            #"nginx_http_response_time_seconds_hist_count{method="GET",status="200",upstream="10.0.0.1:80"} 1"#,
            #"nginx_http_response_time_seconds_hist_sum{method="GET",status="200",upstream="10.0.0.1:80"} 0.02"#,
        ])
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
