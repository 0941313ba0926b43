import MetricStore
import Testing

@testable import ScaleAgent

/// The access log's and the sockets' signatures: errors (stage 2, or 5 when they are 504s),
/// slow requests (stage 2), connections piling up on one upstream (stage 5).
@Suite struct RequestSignatureTests {
    typealias H = AdviseHost
    static let window = AdvisorTests.twoHours
    static let trouble = H.noon + H.hour  // 13:00

    /// `rate` requests per second on vhost `shop`, of which `share(t)` answer `status`.
    static func requests(_ host: AdviseHost, status: String, share: @escaping (Int64) -> Double) {
        let start = H.noon - 10 * H.minute
        var ok = 0.0, failed = 0.0, last = start
        var totals: [Int64: (Double, Double)] = [:]
        var time = start
        while time <= Self.window.end {
            let seconds = Double(time - last) / 1000
            failed += 2 * seconds * share(time)
            ok += 2 * seconds * (1 - share(time))
            totals[time] = (ok, failed)
            last = time
            time += 15_000
        }
        host.series(["__name__": "nginx_http_response_count_total", "vhost": "shop", "status": "200"]) { totals[$0]?.0 }
        host.series(["__name__": "nginx_http_response_count_total", "vhost": "shop", "status": status]) { totals[$0]?.1 }
    }

    @Test func fiveHundredsMostlyTimeoutsAreASlowUpstream() async throws {
        let host = try AdviseHost("web", window: Self.window)
        Self.requests(host, status: "504") { $0 >= Self.trouble ? 0.2 : 0 }
        let report = await H.advise([host])
        let finding = try #require(report.findings.first)
        #expect(finding.signature == "slow_upstream")
        #expect(finding.stage == "5-cache-cdn")
        #expect(finding.severity == .critical)
        #expect(finding.evidence.hasPrefix("20% of the requests on shop got a 5xx answer at 13:"), "\(finding.evidence)")
        #expect(finding.evidence.contains("most were 504s"))
        #expect(finding.nextStep == StageCatalogue.nextStep(alert: "HTTPUpstreamTimeouts"))
    }

    @Test func otherFiveHundredsAreStageTwo() async throws {
        let host = try AdviseHost("web", window: Self.window)
        Self.requests(host, status: "500") { $0 >= Self.trouble ? 0.1 : 0 }
        let report = await H.advise([host])
        #expect(report.findings.map(\.signature) == ["request_errors"])
        #expect(report.findings.first?.stage == "2-database-split")
    }

    @Test func slowRequestsForTenMinutesAreStageTwo() async throws {
        let host = try AdviseHost("web", window: Self.window)
        Self.requests(host, status: "500") { _ in 0 }
        // Every request after 13:00 takes between 1 and 2.5 s.
        for (le, slow) in [("0.5", false), ("1", false), ("2.5", true), ("+Inf", true)] {
            var count = 0.0
            host.series(["__name__": "nginx_http_response_time_seconds_hist_bucket", "vhost": "shop", "le": le]) { time in
                count += (time < Self.trouble || slow) ? 30 : 0
                return count
            }
        }
        let report = await H.advise([host])
        let finding = try #require(report.findings.first)
        #expect(finding.signature == "request_latency")
        #expect(finding.stage == "2-database-split")
        #expect(finding.evidence.hasPrefix("one request in twenty on shop took longer than 1 s for"), "\(finding.evidence)")
        #expect((finding.numbers["latency_p95_peak_seconds"] ?? 0) > 1)
    }

    @Test func connectionsPilingUpOnOneUpstreamAreStageFive() async throws {
        let host = try AdviseHost("app", window: Self.window)
        host.series(["__name__": "scalewatch_tcp_outbound_connections", "remote": "10.0.0.5:8080", "state": "established"]) {
            $0 >= H.noon + 100 * H.minute ? 48 : 6
        }
        host.series(["__name__": "scalewatch_tcp_outbound_connections", "remote": "10.0.0.9:5432", "state": "established"]) { _ in 30 }
        let report = await H.advise([host])
        #expect(report.findings.map(\.signature) == ["upstream_pileup"])
        #expect(report.findings.first?.evidence == "connections to 10.0.0.5:8080 piled up from a usual 6 to 48 at 13:40: workers were waiting on it")
    }

    @Test func theServiceThatGrewBeforeAnOOMKillIsNamed() async throws {
        let host = try AdviseHost("one-box", window: Self.window)
        let kill = H.noon + 90 * H.minute
        host.series(["__name__": "node_vmstat_oom_kill"]) { $0 >= kill ? 1 : 0 }
        host.series(["__name__": "scalewatch_service_memory_bytes", "unit": "postgresql.service"]) { time in
            time < kill - 40 * H.minute ? 1.2 * H.gibibyte : 3 * H.gibibyte
        }
        host.series(["__name__": "scalewatch_service_memory_bytes", "unit": "app.service"]) { _ in 0.5 * H.gibibyte }
        let report = await H.advise([host])
        let finding = try #require(report.findings.first)
        #expect(finding.evidence == "the kernel's OOM killer killed 1 process, the first at 13:30; postgresql.service had grown from 1.2 GiB to 3.0 GiB in the hour before")
        #expect(finding.nextStep == StageCatalogue.nextStep(alert: "HostOOMKill"))
    }

    /// A value an agent or a store hands over may be anything a float can be: the wording must
    /// not trap converting it to a whole number.
    @Test(arguments: [
        (1e300, 9_000_000_000_000_000), (-1e300, -9_000_000_000_000_000), (Double.infinity, Int.max), (-Double.infinity, Int.min),
        (Double.nan, 0), (2.5, 3),
    ])
    func absurdNumbersAreWordsNotTraps(_ value: Double, _ whole: Int) {
        #expect(AdviseWording.whole(value) == whole)
        #expect(!AdviseWording.bytes(value).isEmpty)
        #expect(!AdviseWording.percent(value).isEmpty)
        #expect(!AdviseWording.span(seconds: value).isEmpty)
        #expect(!AdviseWording.number(value).isEmpty)
    }
}
