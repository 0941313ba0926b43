/// Writes the status page as one self-contained HTML document: inline CSS, inline SVG charts,
/// no script, nothing fetched from anywhere (it must work on a host without internet and under
/// a policy of `default-src 'none'`). Semantic HTML, text before pictures, so that a terminal
/// browser (`w3m`, `lynx`) reads it top to bottom: alerts, the stages, events, then links.
enum StatusPageRenderer {
    static func html(_ page: StatusPage) -> String {
        let e = HTMLText.escape
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="\(page.refreshSeconds)">
            <title>scalewatch · \(e(page.host))</title>
            <style>\(css)</style>
            </head>
            <body>
            <header>
            <h1>scalewatch on \(e(page.host))</h1>
            <p>Agent \(e(page.version)) · \(UTCDate(milliseconds: page.generatedAt).text) · refreshes every \(page.refreshSeconds) s ·
            <a href="#alerts">alerts</a> · <a href="#stages">stages</a> · <a href="#events">events</a> · <a href="#endpoints">endpoints</a></p>
            </header>
            <main>

            """
        if let failure = page.queryFailure {
            html += "<p class=\"failure\"><strong>The store could not be read for this page:</strong> \(e(failure))</p>\n"
        }
        html += alerts(page.alerts)
        html += "<section id=\"stages\">\n<h2>Stage signals</h2>\n"
        html += "<p>Each stage of a growing application's architecture has its own way of breaking; "
        html += "these are the numbers that show it, and the state of its alerts.</p>\n<div class=\"stages\">\n"
        for panel in page.panels { html += self.panel(panel) }
        html += "</div>\n</section>\n"
        html += events(page.events)
        html += """
            </main>
            <footer id="endpoints">
            <h2>Endpoints</h2>
            <ul>
            <li><a href="/metrics">/metrics</a> — Prometheus text format 0.0.4, OpenMetrics 1.0 when asked</li>
            <li><a href="/graph?expr=up">/graph?expr=…&amp;range=1h</a> — any expression as a chart</li>
            <li><a href="/api/v1/alerts">/api/v1/alerts</a>, <a href="/api/v1/rules">/api/v1/rules</a> — the Prometheus HTTP API (also query, query_range, series, labels)</li>
            <li><a href="/-/healthy">/-/healthy</a>, <a href="/-/ready">/-/ready</a> — liveness and readiness</li>
            </ul>
            </footer>
            </body>
            </html>

            """
        return html
    }

    private static func alerts(_ alerts: [StatusPage.Alert]) -> String {
        let e = HTMLText.escape
        let firing = alerts.filter { $0.state == "firing" }.count
        var html = "<section id=\"alerts\">\n<h2>Alerts</h2>\n"
        guard !alerts.isEmpty else {
            return html + "<p class=\"quiet\">No alert is firing or pending.</p>\n</section>\n"
        }
        html += "<p>\(firing) firing, \(alerts.count - firing) pending.</p>\n"
        html += "<table>\n<thead><tr><th>State</th><th>Alert</th><th>Stage</th><th>Severity</th><th>Since</th><th>Summary</th><th>Runbook</th></tr></thead>\n<tbody>\n"
        for alert in alerts {
            let since = alert.since.map { UTCDate(milliseconds: $0).text } ?? ""
            let runbook = alert.runbook.map { "<a href=\"\(e($0))\">runbook</a>" } ?? ""
            let labels = alert.labels.isEmpty ? "" : "<br><small>\(e(alert.labels))</small>"
            html += "<tr class=\"\(alert.state == "firing" ? "firing" : "pending")\"><td>\(e(alert.state))</td>"
            html += "<td>\(e(alert.name))\(labels)</td><td>\(e(alert.stage))</td><td>\(e(alert.severity))</td>"
            html += "<td>\(since)</td><td>\(e(alert.summary))</td><td>\(runbook)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    private static func panel(_ panel: StatusPage.Panel) -> String {
        let e = HTMLText.escape
        let state =
            !panel.firing.isEmpty ? "firing" : !panel.pending.isEmpty ? "pending" : panel.rules == 0 ? "norules" : "ok"
        let status: String
        switch state {
        case "firing": status = "Firing: " + panel.firing.map(e).joined(separator: ", ")
        case "pending": status = "Pending: " + panel.pending.map(e).joined(separator: ", ")
        case "norules": status = "No alert rules for this stage yet"
        default: status = panel.rules == 1 ? "Quiet: its alert rule does not fire" : "Quiet: none of its \(panel.rules) alert rules fire"
        }
        var html = "<article class=\"stage \(state)\" id=\"stage-\(e(panel.stage.id))\">\n"
        html += "<h3>\(e(panel.stage.title))</h3>\n"
        html += "<p class=\"signature\">\(e(panel.stage.signature))</p>\n"
        html += "<p class=\"status\"><strong>\(status)</strong></p>\n<table class=\"numbers\">\n"
        for number in panel.numbers {
            html += "<tr><th scope=\"row\">\(e(number.label))</th><td>\(e(number.value))</td></tr>\n"
        }
        html += "</table>\n<figure>\n"
        html += panel.chartSVG
        let link = "/graph?expr=" + HTMLText.queryComponent(panel.stage.chart.expr) + "&range=1h"
        html += "<figcaption><a href=\"\(e(link))\">\(e(panel.stage.chart.label)), last hour — larger</a></figcaption>\n"
        return html + "</figure>\n</article>\n"
    }

    private static func events(_ events: [StatusEvent]) -> String {
        let e = HTMLText.escape
        var html = "<section id=\"events\">\n<h2>Recent events</h2>\n"
        guard !events.isEmpty else {
            return html + "<p class=\"quiet\">Nothing happened in the last hour: no OOM kill, unit restart or failure, reload or alert.</p>\n</section>\n"
        }
        html += "<table>\n<thead><tr><th>Time (UTC)</th><th>Event</th><th>Count</th></tr></thead>\n<tbody>\n"
        for event in events {
            html += "<tr><td>\(UTCDate(milliseconds: event.time).text)</td><td>\(e(event.text))</td><td>\(event.count)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    private static let css = """
        body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1600px;padding:0 16px;color:#222;background:#fafafa}
        h1{font-size:1.4em;margin:.6em 0 .2em}h2{font-size:1.15em;margin:1.2em 0 .4em}h3{font-size:1em;margin:0 0 .2em}
        table{border-collapse:collapse}th,td{text-align:left;padding:2px 8px;vertical-align:top}
        thead th{border-bottom:1px solid #999}tr.firing td:first-child{color:#b00;font-weight:bold}tr.pending td:first-child{color:#b60}
        .stages{display:grid;grid-template-columns:repeat(auto-fill,minmax(390px,1fr));gap:12px}
        .stage{background:#fff;border:1px solid #ccc;border-left:6px solid #2ca02c;border-radius:4px;padding:8px 10px}
        .stage.firing{border-left-color:#d62728}.stage.pending{border-left-color:#ff7f0e}.stage.norules{border-left-color:#bbb}
        .signature{color:#555;margin:0 0 .3em;font-size:.9em}.status{margin:.2em 0}.numbers th{font-weight:normal;color:#444}
        .numbers td{font-variant-numeric:tabular-nums}figure{margin:6px 0 0}figure svg{max-width:100%;height:auto}
        figcaption{font-size:.85em}.quiet{color:#2a7a2a}.failure{color:#b00}footer{margin:2em 0;color:#555;font-size:.9em}
        """
}
