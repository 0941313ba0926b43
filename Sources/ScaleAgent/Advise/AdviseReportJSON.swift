import MetricStore

/// `--output json`, documented in docs/advise.md: a stable shape whose keys never change
/// meaning; new keys may be added.
///
///     {"status": "breaking"|"quiet"|"unreadable", "verdict": "…", "stage": "4-load-balanced"|null,
///      "exit_status": 1,
///      "window": {"start": "<RFC 3339>", "end": "…", "seconds": 86400, "step_seconds": 360},
///      "sources": [{"name": "db:9470", "location": "http://db:9470", "error": null}],
///      "findings": [{"stage": "…", "stage_title": "…", "severity": "critical"|"warning"|"info",
///                    "signature": "pg_pool_full", "hosts": ["db:9470"],
///                    "evidence": {"text": "…", "numbers": {"connections_peak": 97, …}},
///                    "forecast": {"metric": "…", "threshold": 1, "eta_seconds": 777600, "text": "…"} | null,
///                    "next_step": "…", "alerts": ["PostgresConnectionPoolNearFull"]}],
///      "headroom": [{"host": "…", "numbers": {"cpu_busy_peak": 0.45, …}, "text": "…"}]}
enum AdviseReportJSON {
    static func render(_ report: AdviseReport) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("status")
        json.string(report.status)
        json.key("verdict")
        json.string(report.verdict)
        json.key("stage")
        if let stage = report.stage { json.string(stage) } else { null(&json) }
        json.key("exit_status")
        json.integer(report.exitStatus)
        json.key("window")
        json.beginObject()
        json.key("start")
        json.string(RFC3339Format.string(milliseconds: report.window.start))
        json.key("end")
        json.string(RFC3339Format.string(milliseconds: report.window.end))
        json.key("seconds")
        json.number(report.window.seconds)
        json.key("step_seconds")
        json.number(Double(report.window.step) / 1000)
        json.endObject()
        json.key("sources")
        json.beginArray()
        for source in report.sources {
            json.beginObject()
            json.key("name")
            json.string(source.name)
            json.key("location")
            json.string(source.locationText)
            json.key("error")
            if let error = source.error { json.string(error) } else { null(&json) }
            json.endObject()
        }
        json.endArray()
        json.key("findings")
        json.beginArray()
        for finding in report.findings { write(finding, &json) }
        json.endArray()
        json.key("headroom")
        json.beginArray()
        for host in report.headroom {
            json.beginObject()
            json.key("host")
            json.string(host.host)
            json.key("numbers")
            numbers(host.numbers, &json)
            json.key("text")
            json.string(host.text)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }

    private static func write(_ finding: AdviseFinding, _ json: inout JSONWriter) {
        json.beginObject()
        json.key("stage")
        json.string(finding.stage)
        json.key("stage_title")
        json.string(finding.stageTitle)
        json.key("severity")
        json.string(finding.severity.rawValue)
        json.key("signature")
        json.string(finding.signature)
        json.key("hosts")
        json.beginArray()
        for host in finding.hosts { json.string(host) }
        json.endArray()
        json.key("evidence")
        json.beginObject()
        json.key("text")
        json.string(finding.evidence)
        json.key("numbers")
        numbers(finding.numbers, &json)
        json.endObject()
        json.key("forecast")
        if let forecast = finding.forecast {
            json.beginObject()
            json.key("metric")
            json.string(forecast.metric)
            json.key("threshold")
            json.number(forecast.threshold)
            json.key("eta_seconds")
            // JSONWriter writes a non-finite number as null: no trend toward the threshold.
            json.number(forecast.etaSeconds.map { $0.rounded() } ?? .nan)
            json.key("text")
            json.string(forecast.text)
            json.endObject()
        } else {
            null(&json)
        }
        json.key("next_step")
        json.string(finding.nextStep)
        json.key("alerts")
        json.beginArray()
        for alert in finding.alerts { json.string(alert) }
        json.endArray()
        json.endObject()
    }

    /// JSONWriter writes a non-finite number as `null`.
    private static func null(_ json: inout JSONWriter) { json.number(.nan) }

    private static func numbers(_ values: [String: Double], _ json: inout JSONWriter) {
        json.beginObject()
        for key in values.keys.sorted() {
            json.key(key)
            json.number(values[key]!)
        }
        json.endObject()
    }
}
