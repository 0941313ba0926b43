/// What the status page at `/` shows, gathered by `StatusPageEndpoint` and written out by
/// `StatusPageRenderer`: plain values, so that the page is a pure function of them.
struct StatusPage: Sendable {
    struct Alert: Sendable, Equatable {
        var name: String
        var state: String
        var stage: String
        var severity: String
        /// Unix milliseconds since when the alert has been active.
        var since: Int64?
        var summary: String
        /// Where its runbook is: the agent's own copy for the shipped rules, else the rule's
        /// `runbook_url` when that is an http(s) address.
        var runbook: String?
        /// The labels that tell two alerts of one rule apart.
        var labels: String
    }

    struct Panel: Sendable {
        var stage: StageSignal
        /// Each number's text ("1.2 GiB", "no data", or the query's error).
        var numbers: [(label: String, value: String)]
        var firing: [String]
        var pending: [String]
        /// Alerting rules loaded for this stage.
        var rules: Int
        /// The chart as inline SVG (already escaped where it holds data).
        var chartSVG: String
    }

    var host: String
    var version: String
    /// Unix milliseconds.
    var generatedAt: Int64
    var refreshSeconds: Int
    var alerts: [Alert]
    var panels: [Panel]
    var events: [StatusEvent]
    /// Why the store could not be read for this page (the reader pool was full, …), if so.
    var queryFailure: String?
}
