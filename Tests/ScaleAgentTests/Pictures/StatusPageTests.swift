import AlertEngine
import Foundation
import MetricStore
import Testing

@testable import ScaleAgent

/// The status page: its HTML read by a terminal browser (Debian `w3m`, installed by
/// `make deps`), its escaping, its events read back from series, and `/` served from a store.
@Suite struct StatusPageTests {
    static let now: Int64 = 1_700_003_600_000

    static let page = StatusPage(
        host: "db<1>", version: "9.9.9", generatedAt: now, refreshSeconds: 30,
        alerts: [
            StatusPage.Alert(
                name: "HostOOMKill", state: "firing", stage: "1-single-server", severity: "critical", since: now - 600_000,
                summary: "The kernel OOM-killed <script>alert(1)</script>", runbook: "/runbooks/HostOOMKill", labels: #"{instance="a"}"#),
            StatusPage.Alert(
                name: "PostgresLockWaits", state: "pending", stage: "6-queue-workers", severity: "warning", since: nil,
                summary: "Lock waits", runbook: nil, labels: ""),
        ],
        panels: StageSignal.all.prefix(2).map { stage in
            StatusPage.Panel(
                stage: stage, numbers: stage.numbers.map { ($0.label, "1.5 GiB") },
                firing: stage.id == "1-single-server" ? ["HostOOMKill"] : [], pending: [], rules: 3,
                chartSVG: SVGChartRenderer.svg(
                    Chart(title: stage.chart.label, series: [], start: now - 3_600_000, end: now, step: 60_000, unit: .bytes, width: 380, height: 150)))
        },
        events: [StatusEvent(time: now - 120_000, text: "postgresql.service restarted by systemd", count: 2)], queryFailure: nil)

    @Test func aTerminalBrowserReadsItTopToBottom() throws {
        // Table cells are padded to columns: compare with runs of spaces collapsed.
        let text = try Self.w3m(StatusPageRenderer.html(Self.page)).split(separator: " ", omittingEmptySubsequences: true)
            .joined(separator: " ")
        let expected = [
            "scalewatch on db<1>", "Alerts", "1 firing, 1 pending.", "firing HostOOMKill", "The kernel OOM-killed <script>alert(1)</script>",
            "Stage signals", "Stage 1 · one server", "Firing: HostOOMKill", "Memory available 1.5 GiB",
            "Stage 2 · database on its own host", "Quiet: none of its 3 alert rules fire", "Recent events",
            "2023-11-14 23:11:20 UTC postgresql.service restarted by systemd 2", "Endpoints",
        ]
        var rest = Substring(text)
        for line in expected {
            guard let found = rest.range(of: line) else {
                Issue.record("not found in order: \(line)\n\(text)")
                return
            }
            rest = rest[found.upperBound...]
        }
        // The numbers of a stage come before its chart.
        let number = try #require(text.range(of: "Memory available 1.5 GiB"))
        let chart = try #require(text.range(of: "no data"))
        #expect(number.lowerBound < chart.lowerBound)
    }

    @Test func nothingFromDataBecomesMarkup() {
        let html = StatusPageRenderer.html(Self.page)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("scalewatch on db&lt;1&gt;"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
    }

    @Test(arguments: [
        ("HostOOMKill", "https://example.com/x", "/runbooks/HostOOMKill"),
        ("MyAlert", "https://wiki.example.com/MyAlert", "https://wiki.example.com/MyAlert"),
        ("MyAlert", "javascript:alert(1)", nil),
        ("MyAlert", "JaVaScRiPt:alert(1)", nil),
        ("MyAlert", nil, nil),
    ] as [(String, String?, String?)])
    func runbookLinks(_ name: String, _ annotation: String?, _ link: String?) {
        #expect(StatusPageEndpoint.runbook(name: name, annotation: annotation) == link)
    }

    static let start: Int64 = 1_700_000_000_000
    static func series(_ labels: [String: String], _ points: [(minute: Int64, value: Double)]) -> RangeSeries {
        RangeSeries(
            labels: Labels(labels.map { Label($0.key, $0.value) }),
            points: points.map { Sample(timestamp: start + $0.minute * 60_000, value: $0.value) })
    }

    @Test func countersIncreasingAreEvents() {
        let source = StatusEvent.sources[2]
        let events = StatusEvent.detect(
            in: [
                Self.series(["unit": "a.service"], [(0, 1), (1, 1), (2, 3), (3, 3), (4, 1)]),
                // Born inside the window with its first count.
                Self.series(["unit": "b.service"], [(5, 1), (6, 1)]),
                // Present from the start and unchanged: nothing happened.
                Self.series(["unit": "c.service"], [(0, 4), (6, 4)]),
            ], start: Self.start, step: 60_000, source: source)
        #expect(
            events == [
                StatusEvent(time: Self.start + 120_000, text: "a.service restarted by systemd", count: 2),
                // A reset: the counter started again from zero and counted one.
                StatusEvent(time: Self.start + 240_000, text: "a.service restarted by systemd", count: 1),
                StatusEvent(time: Self.start + 300_000, text: "b.service restarted by systemd", count: 1),
            ])
    }

    @Test func alertsAppearingAreEvents() {
        let source = StatusEvent.sources.last!
        let events = StatusEvent.detect(
            in: [
                Self.series(["alertname": "A"], [(0, 1), (1, 1)]),
                Self.series(["alertname": "B"], [(2, 1), (3, 1), (7, 1)]),
            ], start: Self.start, step: 60_000, source: source)
        #expect(events.map { $0.text } == ["alert B started firing", "alert B started firing"])
        #expect(events.map { $0.time } == [Self.start + 120_000, Self.start + 420_000])
    }

    @Test func servedAtTheRootFromTheStore() async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get("/")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
            #expect(response.headers.first(name: "Content-Security-Policy") == GraphEndpoint.contentSecurityPolicy)
            let html = response.text
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("No alert is firing or pending."))
            #expect(html.contains("<h2>Stage signals</h2>"))
            #expect(html.components(separatedBy: "<article class=\"stage").count == StageSignal.all.count + 1)
            #expect(html.contains("<td>no data</td>"))
            #expect(!html.contains("error:"), "\(html)")
        }
    }

    static let rules = """
        groups:
          - name: page
            interval: 15s
            rules:
              - alert: HostOOMKill
                expr: up == 0
                labels: {stage: 1-single-server, severity: critical}
                annotations: {summary: "<b>{{ $labels.job }}</b> lost a process"}
              - alert: SlowSomething
                expr: up == 0
                for: 10m
                labels: {stage: 6-queue-workers, severity: warning}
                annotations: {runbook_url: "javascript:alert(1)"}
              - alert: Watchdog
                expr: vector(1)
                labels: {stage: agent, severity: none}
        """

    @Test func alertsFromTheRuleGroupsWithTheirRunbooksAndPanels() async throws {
        try await APIServerUnderTest.with { server in
            let file = try server.directory.write("rules.yml", Self.rules)
            server.rules.apply(try RuleCompiler.load(paths: [file], defaultInterval: 15_000), externalLabels: [:])
            for offset: Int64 in [0, 15_000, 30_000] { server.rules.evaluateDue(at: APIServerUnderTest.start + offset) }
            let html = try await server.get("/").text
            #expect(html.contains("<p>2 firing, 1 pending.</p>"))
            #expect(html.contains(#"<a href="/runbooks/HostOOMKill">runbook</a>"#))
            #expect(html.contains("&lt;b&gt;b&lt;/b&gt; lost a process"))
            #expect(!html.contains("javascript:"))
            #expect(html.contains(#"<article class="stage firing" id="stage-1-single-server">"#))
            #expect(html.contains(#"<article class="stage pending" id="stage-6-queue-workers">"#))
            // The heartbeat is listed but leaves its panel quiet.
            #expect(html.contains(#"<article class="stage ok" id="stage-agent">"#))
            #expect(html.contains("Firing: HostOOMKill") && html.contains("Pending: SlowSomething"))
        }
    }

    /// `w3m -dump` of `html`, 160 columns wide.
    static func w3m(_ html: String) throws -> String {
        let path = "/usr/bin/w3m"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw W3MMissing()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-dump", "-T", "text/html", "-cols", "160", "-O", "UTF-8", "-I", "UTF-8"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(html.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    struct W3MMissing: Error, CustomStringConvertible {
        var description: String { "w3m is not installed (apt-get install w3m; make deps installs it)" }
    }
}
