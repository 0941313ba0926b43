import MetricStore

/// The alerts of one alerting rule between evaluations, keyed by their final label set.
struct AlertingRuleState: Sendable {
    /// How long a resolved alert is kept, so that notifications can report it resolved.
    static let resolvedRetention: Int64 = 15 * 60_000

    var alerts: [Labels: ActiveAlert] = [:]

    /// Advances every alert of `rule` to the evaluation at `time` from the expression's
    /// result. Throws, and drops every alert, when the result exceeds the group's limit, as
    /// Prometheus does.
    mutating func update(
        with samples: [VectorSample], rule: CompiledRule, at time: Int64, limit: Int, context: TemplateContext,
        query: TemplateQuery? = nil
    ) throws(RuleResultError) {
        var current: [Labels: (annotations: Labels, value: Double)] = [:]
        for sample in samples {
            let data = context.data(labels: sample.labels, value: sample.value)
            var labels = sample.labels.removing(Label.metricName)
            for (name, template) in rule.labelTemplates {
                labels = RuleResults.applying(Labels([Label(name, Self.expand(template, data, query))]), to: labels)
            }
            labels = labels.adding("alertname", rule.name)
            var annotations: [Label] = []
            for (name, template) in rule.annotationTemplates { annotations.append(Label(name, Self.expand(template, data, query))) }
            guard current[labels] == nil else {
                throw RuleResultError("vector contains metrics with the same labelset after applying alert labels")
            }
            current[labels] = (Labels(annotations), sample.value)
        }
        if limit > 0 && current.count > limit {
            alerts = [:]
            throw RuleResultError("exceeded limit of \(limit) with \(current.count) alerts")
        }

        let now = Duration.unixMilliseconds(time)
        let holdFor = Duration.milliseconds(rule.rule.forDuration)
        let keepFiringFor = Duration.milliseconds(rule.rule.keepFiringFor)
        for (labels, result) in current {
            if alerts[labels] == nil || alerts[labels]!.instance.state == .inactive {
                alerts[labels] = ActiveAlert(labels: labels, annotations: result.annotations, value: result.value, instance: AlertInstance())
            } else {
                alerts[labels]!.annotations = result.annotations
                alerts[labels]!.value = result.value
            }
        }
        for labels in Array(alerts.keys) {
            let wasPending = alerts[labels]!.instance.state == .pending
            alerts[labels]!.instance.step(isActive: current[labels] != nil, now: now, holdFor: holdFor, keepFiringFor: keepFiringFor)
            let alert = alerts[labels]!.instance
            guard alert.state == .inactive else { continue }
            // A pending alert that goes away was never sent; a resolved one is kept a while
            // for its resolved notification.
            if wasPending || alert.resolvedAt.map({ time - $0.unixMilliseconds > Self.resolvedRetention }) ?? true {
                alerts[labels] = nil
            }
        }
    }

    /// `ALERTS` and `ALERTS_FOR_STATE` for every pending or firing alert, as Prometheus writes
    /// them: the latter's value is when the alert became active, in Unix seconds, which is
    /// what a restart restores `for` from.
    func series(rule: String) -> [(Labels, Double)] {
        var output: [(Labels, Double)] = []
        for alert in alerts.values where alert.instance.state != .inactive {
            output.append((
                alert.labels.adding(Label.metricName, "ALERTS").adding("alertstate", alert.instance.state.rawValue), 1))
            if let activeSince = alert.instance.activeSince {
                output.append((
                    alert.labels.adding(Label.metricName, "ALERTS_FOR_STATE"),
                    Double(activeSince.unixMilliseconds / 1000)))
            }
        }
        return output
    }

    /// Replaces the start of each pending alert's episode with the one stored before a
    /// restart, so that a restart does not reset `for`; an alert whose `for` (`holdFor`,
    /// milliseconds) has run out by `time` is firing again at once, since the end of its `for`.
    mutating func restore(at time: Int64, holdFor: Int64, activeSince lookup: (Labels) -> Int64?) {
        for (labels, alert) in alerts where alert.instance.state == .pending {
            guard let activeSince = lookup(labels), activeSince < (alert.instance.activeSince?.unixMilliseconds ?? .max) else {
                continue
            }
            if activeSince + holdFor <= time {
                alerts[labels]!.instance = AlertInstance(
                    restoringActiveSince: .unixMilliseconds(activeSince), firedAt: .unixMilliseconds(activeSince + holdFor),
                    lastSeenActive: .unixMilliseconds(time))
            } else {
                alerts[labels]!.instance = AlertInstance(restoringActiveSince: .unixMilliseconds(activeSince))
            }
        }
    }

    /// Adds an alert that was firing before a restart and is no longer returned, in its
    /// `keep_firing_for` phase; its annotations were not stored and stay empty until the
    /// expression returns it again.
    mutating func restoreKeepFiring(_ labels: Labels, activeSince: Int64, firedAt: Int64, keepFiringSince: Int64) {
        guard alerts[labels] == nil else { return }
        alerts[labels] = ActiveAlert(
            labels: labels, annotations: .empty, value: 0,
            instance: AlertInstance(
                restoringKeepFiringSince: .unixMilliseconds(keepFiringSince), activeSince: .unixMilliseconds(activeSince),
                firedAt: .unixMilliseconds(firedAt)))
    }

    /// Prometheus renders a template that fails as this text, so the alert still goes out.
    private static func expand(_ template: AlertTemplate, _ data: TemplateData, _ query: TemplateQuery?) -> String {
        do {
            return try template.render(data, query: query)
        } catch {
            return "<error expanding template: \(error)>"
        }
    }
}

/// What templates can see besides the alert's own labels and value.
public struct TemplateContext: Sendable {
    public var externalLabels: Labels
    public var externalURL: String

    public init(externalLabels: Labels = .empty, externalURL: String = "") {
        self.externalLabels = externalLabels
        self.externalURL = externalURL
    }

    func data(labels: Labels, value: Double) -> TemplateData {
        TemplateData(
            labels: Dictionary(labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), value: value,
            externalLabels: Dictionary(externalLabels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
            externalURL: externalURL)
    }
}
