import MetricStore

/// Alertmanager's dispatcher as a pure state machine: `ingest` takes every alert the rule
/// engine holds (firing, and resolved for a while), `flush` takes the time and returns the
/// notifications that are due, deciding against the notification log. No clock and no I/O:
/// the agent calls both on its own schedule and persists what `flush` returns together with
/// the log.
///
/// Differences from Alertmanager, all because the input is a full snapshot rather than a
/// stream of pushes: an alert that disappears from the snapshot while firing (its rule was
/// removed by a reload) is resolved at once, and a resolved alert the dispatcher never saw
/// firing is ignored.
public struct NotificationDispatcher: Sendable {
    public private(set) var route: NotificationRoute
    public private(set) var inhibitRules: [InhibitRule]
    public private(set) var receivers: [String: [ReceiverIntegration]]
    public private(set) var externalURL: String
    public var log: NotificationLog
    /// Alerts an active silence matches are left out of notifications, as inhibited ones are.
    public var silences = Silences()
    private var groups: [String: AggregationGroup] = [:]
    /// The last snapshot, by fingerprint.
    private var current: [AlertFingerprint: NotificationAlert] = [:]

    public init(
        route: NotificationRoute, inhibitRules: [InhibitRule] = [], receivers: [String: [ReceiverIntegration]],
        externalURL: String = "", log: NotificationLog = NotificationLog()
    ) {
        self.route = route
        self.inhibitRules = inhibitRules
        self.receivers = receivers
        self.externalURL = externalURL
        self.log = log
    }

    public var groupCount: Int { groups.count }

    /// When `flush` next has something to do; nil without groups.
    public var nextFlush: Int64? { groups.values.map(\.nextFlush).min() }

    /// A reload: groups whose route is still in the tree keep their alerts and timers (and take
    /// the route's new settings); the others end without a notification, their alerts going to
    /// the new routes at the next ingest.
    public mutating func reconfigure(
        route: NotificationRoute, inhibitRules: [InhibitRule], receivers: [String: [ReceiverIntegration]], externalURL: String
    ) {
        self.route = route
        self.inhibitRules = inhibitRules
        self.receivers = receivers
        self.externalURL = externalURL
        let routes = Dictionary(route.all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var kept: [String: AggregationGroup] = [:]
        for (identity, var group) in groups {
            guard let updated = routes[group.route.id] else { continue }
            group.route = updated
            kept[identity] = group
        }
        groups = kept
        // Alerts of dropped groups are routed again.
        let snapshot = Array(current.values)
        current = [:]
        ingest(snapshot, now: nil)
    }

    /// Takes the rule engine's alerts as of `now`.
    public mutating func ingest(_ alerts: [NotificationAlert], now: Int64) {
        ingest(alerts, now: Optional(now))
    }

    private mutating func ingest(_ alerts: [NotificationAlert], now: Int64?) {
        var next: [AlertFingerprint: NotificationAlert] = [:]
        next.reserveCapacity(alerts.count)
        for alert in alerts {
            let previous = current[alert.fingerprint]
            next[alert.fingerprint] = alert
            let resolved = alert.endsAt != nil
            if resolved && (previous == nil || previous!.endsAt != nil) {
                // Nothing to route: never seen firing, or its resolution was already routed —
                // unless, first seen resolved after a restart, it was notified firing before.
                guard previous == nil, log.lastToldFiring(alert.fingerprint) else { continue }
            }
            route(alert, now: now ?? alert.startsAt)
        }
        if let now {
            for (fingerprint, var alert) in current where next[fingerprint] == nil && alert.endsAt == nil {
                alert.endsAt = now
                route(alert, now: now)
            }
        }
        current = next
    }

    private mutating func route(_ alert: NotificationAlert, now: Int64) {
        for route in route.match(alert.labels) {
            let groupLabels = route.groupLabels(of: alert.labels)
            let identity = AggregationGroup.identity(routeID: route.id, groupLabels: groupLabels)
            var group = groups[identity] ?? AggregationGroup(route: route, groupLabels: groupLabels, first: alert, now: now)
            // Within a group, routing sees the current route settings (a reload may change them).
            group.alerts[alert.fingerprint] = alert
            groups[identity] = group
        }
    }

    /// Every notification due at `now`; records them in the log, moves each flushed group's
    /// timer on by its `group_interval`, and forgets the resolved alerts just flushed.
    public mutating func flush(now: Int64) -> [Notification] {
        var notifications: [Notification] = []
        let firingSources = current.values.filter { !$0.isResolved(at: now) }.map(\.labels)
        for identity in groups.keys.sorted() {
            guard var group = groups[identity], group.nextFlush <= now else { continue }
            group.nextFlush = now + group.route.groupInterval
            let visible = group.alerts.values
                .filter { alert in !inhibitRules.contains { $0.inhibits(alert.labels, firing: firingSources) } }
                .filter { alert in silences.silencing(alert.labels, at: now).isEmpty }
                .sorted(by: NotificationAlert.notificationOrder)
            let firing = Set(visible.filter { !$0.isResolved(at: now) }.map(\.fingerprint))
            let resolved = Set(visible.filter { $0.isResolved(at: now) }.map(\.fingerprint))
            for integration in receivers[group.route.receiver] ?? [] {
                let key = NotificationLog.key(receiver: group.route.receiver, integration: integration.index, groupKey: group.groupKey)
                guard log.needsUpdate(
                    key, firing: firing, resolved: resolved, sendResolved: integration.sendResolved,
                    repeatInterval: group.route.repeatInterval, now: now)
                else { continue }
                log.record(key, firing: firing, resolved: resolved, at: now)
                var sent = integration.sendResolved ? visible : visible.filter { !$0.isResolved(at: now) }
                guard !sent.isEmpty else { continue }
                var truncated = 0
                if integration.maxAlerts > 0 && sent.count > integration.maxAlerts {
                    truncated = sent.count - integration.maxAlerts
                    sent = Array(sent.prefix(integration.maxAlerts))
                }
                let message = WebhookMessage(
                    receiver: group.route.receiver, groupKey: group.groupKey, groupLabels: group.groupLabels, alerts: sent,
                    truncatedAlerts: truncated, externalURL: externalURL, now: now)
                notifications.append(
                    Notification(
                        receiver: group.route.receiver, integration: integration.index, groupKey: group.groupKey, decidedAt: now,
                        body: message.json, alerts: sent.map { ($0.labels, $0.isResolved(at: now)) }))
            }
            for alert in group.alerts.values where alert.isResolved(at: now) {
                group.alerts[alert.fingerprint] = nil
            }
            groups[identity] = group.alerts.isEmpty ? nil : group
        }
        log.prune(now: now)
        return notifications
    }
}
