import AlertEngine
import Foundation
import Hummingbird
import MetricStore

/// `GET /`: the status page. The alerts come from the rule groups' last evaluations (as
/// `/api/v1/alerts`); the numbers, charts and events from queries of the store, all run as
/// one query of the API's runner (admitted, on the reader pool, within the query limits), so
/// that a page load costs what one dashboard query costs and never runs on the threads that
/// collect. A query that fails shows its error in its place; a page whose queries could not
/// run at all still shows the alerts and says why.
struct StatusPageEndpoint: Sendable {
    let runner: QueryRunner
    let now: @Sendable () -> Int64
    let ruleGroups: @Sendable () -> [RuleGroupStatus]
    var host: @Sendable () -> String = { ProcessInfo.processInfo.hostName }

    static let refreshSeconds = 30
    static let window: Int64 = 3_600_000
    /// As a typical collection interval: a chart has lines a few collections after a start.
    static let step: Int64 = 15_000
    static let chartSize = (width: 380, height: 150)
    static let chartSeries = 4
    static let maxEvents = 30

    func respond() async -> Response {
        let html = StatusPageRenderer.html(await page())
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: GraphEndpoint.contentSecurityPolicy,
                .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    func page() async -> StatusPage {
        let now = self.now()
        let groups = ruleGroups()
        let alerts = Self.alerts(groups)
        var measured: Measured?
        var failure: String?
        do {
            measured = try await runner.run(describe: { ["page": "/"] }) { budget, settings in
                Self.measure(budget: budget, settings: settings, now: now)
            }
        } catch {
            failure = error.description
        }
        let panels = StageSignal.all.enumerated().map { index, stage in
            // A heartbeat (severity none, e.g. Watchdog) fires by design: listed, but it does not colour a panel.
            let staged = alerts.filter { $0.stage == stage.id && $0.severity != "none" }
            return StatusPage.Panel(
                stage: stage,
                numbers: zip(stage.numbers, measured?.numbers[index] ?? stage.numbers.map { _ in "not read" }).map { ($0.label, $1) },
                firing: Self.unique(staged.filter { $0.state == "firing" }.map(\.name)),
                pending: Self.unique(staged.filter { $0.state != "firing" }.map(\.name)),
                rules: groups.reduce(0) { count, status in
                    count + status.group.rules.filter { $0.kind == .alerting && $0.labels["stage"] == stage.id }.count
                },
                chartSVG: measured?.charts[index]
                    ?? SVGChartRenderer.message(title: stage.chart.label, text: failure ?? "", width: Self.chartSize.width))
        }
        return StatusPage(
            host: host(), version: ScaleAgentVersion.current, generatedAt: now, refreshSeconds: Self.refreshSeconds, alerts: alerts,
            panels: panels, events: measured?.events ?? [], queryFailure: failure)
    }

    /// What the store said, per stage in `StageSignal.all`'s order.
    struct Measured: Sendable {
        var numbers: [[String]]
        var charts: [String]
        var events: [StatusEvent]
    }

    static func measure(budget: QueryBudget, settings: QuerySettings, now: Int64) -> Measured {
        let engine = RangeQuery.engine(budget, settings)
        let start = now - window
        func range(_ text: String) throws -> [RangeSeries] {
            try RangeQuery(expr: try PromQLParser.parse(text), start: start, end: now, step: step).run(budget, settings)
        }
        var numbers: [[String]] = []
        var charts: [String] = []
        for stage in StageSignal.all {
            numbers.append(
                stage.numbers.map { number in
                    do {
                        return text(try engine.instantQuery(try PromQLParser.parse(number.expr), at: now), unit: number.unit)
                    } catch {
                        return "error: \(error)"
                    }
                })
            do {
                let series = try range(stage.chart.expr)
                let chart = Chart(
                    title: stage.chart.label, series: series.map { Chart.Series(label: Chart.legend($0.labels), points: $0.points) },
                    start: start, end: now, step: step, unit: stage.chart.unit, width: chartSize.width, height: chartSize.height,
                    maxSeries: chartSeries)
                charts.append(SVGChartRenderer.svg(chart))
            } catch {
                charts.append(SVGChartRenderer.message(title: stage.chart.label, text: "\(error)", width: chartSize.width))
            }
        }
        var events: [StatusEvent] = []
        for source in StatusEvent.sources {
            // An event source whose query fails (none should) is left out rather than failing the page.
            guard let series = try? range(source.expr) else { continue }
            events += StatusEvent.detect(in: series, start: start, step: step, source: source)
        }
        events.sort { ($0.time, $0.text) > ($1.time, $1.text) }
        return Measured(numbers: numbers, charts: charts, events: Array(events.prefix(maxEvents)))
    }

    /// An instant result as a key number: its value, or its first value and how many more
    /// series there were.
    static func text(_ value: QueryValue, unit: ChartUnit) -> String {
        switch value {
        case .scalar(let number):
            return unit.format(number)
        case .vector(let samples):
            guard let first = samples.first else { return "no data" }
            return unit.format(first.value) + (samples.count > 1 ? " (and \(samples.count - 1) more series)" : "")
        case .matrix, .string:
            return "not a number"
        }
    }

    /// The pending and firing alerts, firing first, then by name and labels.
    static func alerts(_ groups: [RuleGroupStatus]) -> [StatusPage.Alert] {
        var alerts: [(AlertSnapshot, StatusPage.Alert)] = []
        for status in groups {
            for rule in status.group.rules {
                for alert in RulesEndpoints.activeAlerts(of: rule, in: status) {
                    let name = alert.labels["alertname"] ?? alert.rule
                    let rest = Labels(alert.labels.pairs.filter { !["alertname", "stage", "severity"].contains($0.name) })
                    alerts.append(
                        (
                            alert,
                            StatusPage.Alert(
                                name: name, state: alert.state.rawValue, stage: alert.labels["stage"] ?? "",
                                severity: alert.labels["severity"] ?? "", since: alert.activeAt,
                                summary: alert.annotations["summary"] ?? alert.annotations["description"] ?? "",
                                runbook: runbook(name: name, annotation: alert.annotations["runbook_url"]),
                                labels: rest.isEmpty ? "" : Chart.legend(rest))
                        ))
                }
            }
        }
        return alerts.sorted { lhs, rhs in
            (lhs.1.state == "firing" ? 0 : 1, lhs.1.name, lhs.0.labels) < (rhs.1.state == "firing" ? 0 : 1, rhs.1.name, rhs.0.labels)
        }.map(\.1)
    }

    /// The agent's own copy of a shipped rule's runbook (it works offline and whatever
    /// `external_url` says); otherwise the rule's `runbook_url`, if it is a web address (a
    /// `javascript:` one is no link).
    static func runbook(name: String, annotation: String?) -> String? {
        if ShippedRunbooks.byName[name] != nil { return "/runbooks/" + HTMLText.queryComponent(name) }
        guard let annotation else { return nil }
        let lowered = annotation.lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://") ? annotation : nil
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
