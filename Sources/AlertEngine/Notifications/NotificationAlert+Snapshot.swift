import MetricStore

extension NotificationAlert {
    /// The alert a rule's firing or resolved instance becomes, as Prometheus sends it: starts
    /// when it fired, ends when it resolved, the external labels added where the alert has no
    /// label of that name, and a `generatorURL` to the expression under the external URL.
    /// Nil for a pending alert (never notified).
    public init?(_ snapshot: AlertSnapshot, externalLabels: Labels, externalURL: String) {
        let endsAt: Int64?
        switch snapshot.state {
        case .pending: return nil
        case .firing: endsAt = nil
        case .inactive:
            guard let resolvedAt = snapshot.resolvedAt else { return nil }
            endsAt = resolvedAt
        }
        var labels = snapshot.labels
        for label in externalLabels.pairs where labels[label.name] == nil {
            labels = labels.adding(label.name, label.value)
        }
        self.init(
            labels: labels, annotations: snapshot.annotations, startsAt: snapshot.firedAt ?? snapshot.activeAt ?? 0, endsAt: endsAt,
            generatorURL: Self.generatorURL(externalURL: externalURL, expression: snapshot.expression))
    }

    /// Prometheus' link to the expression in its graph page.
    static func generatorURL(externalURL: String, expression: String) -> String {
        var base = externalURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/graph?g0.expr=\(GoURL.queryEscape(expression))&g0.tab=1"
    }
}
