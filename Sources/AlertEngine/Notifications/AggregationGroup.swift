import MetricStore

/// The alerts of one route that share the values of its `group_by` labels, notified together:
/// first `group_wait` after the group appeared (at once if its first alert is older than
/// that), then every `group_interval` while it holds alerts.
struct AggregationGroup: Sendable {
    var route: NotificationRoute
    let groupLabels: Labels
    var alerts: [AlertFingerprint: NotificationAlert] = [:]
    /// Unix milliseconds.
    var nextFlush: Int64

    init(route: NotificationRoute, groupLabels: Labels, first alert: NotificationAlert, now: Int64) {
        self.route = route
        self.groupLabels = groupLabels
        nextFlush = alert.startsAt + route.groupWait < now ? now : now + route.groupWait
    }

    /// Alertmanager's group key: the route's key, then the group labels as Go prints a label
    /// set (`{}/{severity="critical"}:{alertname="HighLoad", stage="3"}`).
    var groupKey: String {
        "\(route.key):\(Self.goText(groupLabels))"
    }

    /// `model.LabelSet.String()`: `name="value"` with Go quoting, sorted, joined by ", ".
    static func goText(_ labels: Labels) -> String {
        "{" + labels.pairs.map { "\($0.name)=\(GoQuote.quote($0.value))" }.sorted().joined(separator: ", ") + "}"
    }

    /// Where the dispatcher keeps the group: unique per route node and group labels.
    static func identity(routeID: String, groupLabels: Labels) -> String {
        "\(routeID)\u{0}\(goText(groupLabels))"
    }
}
