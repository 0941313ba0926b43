import MetricStore

/// A rule group between evaluations: its alerts and the series each rule wrote last time,
/// so that a series a rule stops producing gets a stale marker and leaves queries at once,
/// as in Prometheus.
///
/// Pure apart from the two ports it is handed: the query engine it reads from and the sink
/// it writes to. The evaluation time comes in as an argument, so tests and `test rules`
/// drive it without a clock.
public struct RuleGroupState: Sendable {
    public let group: CompiledRuleGroup
    private var alerting: [AlertingRuleState]
    private var previousSeries: [Set<Labels>]
    /// Per rule, in seconds, how long its last evaluation took (`/api/v1/rules` reports it).
    public private(set) var ruleDurations: [Double]
    /// `ALERTS` and `ALERTS_FOR_STATE` are written only once alert state has been restored
    /// after a start, or the first evaluation would overwrite the stored state it restores
    /// from.
    public private(set) var isRestored: Bool

    public init(group: CompiledRuleGroup, restored: Bool = false) {
        self.group = group
        self.alerting = Array(repeating: AlertingRuleState(), count: group.rules.count)
        self.previousSeries = Array(repeating: [], count: group.rules.count)
        self.ruleDurations = Array(repeating: 0, count: group.rules.count)
        self.isRestored = restored
    }

    /// Evaluates every rule in order at `time` (Unix ms); each rule's output is written
    /// before the next rule runs. Returns the rules that failed.
    @discardableResult
    public mutating func evaluate(
        at time: Int64, engine: QueryEngine, sink: any RuleOutputSink, context: TemplateContext = TemplateContext()
    ) -> [RuleEvaluationError] {
        var errors: [RuleEvaluationError] = []
        for (index, rule) in group.rules.enumerated() {
            var output: [(Labels, Double)] = []
            let started = ContinuousClock.now
            defer { ruleDurations[index] = Self.seconds(ContinuousClock.now - started) }
            do {
                output = try evaluate(rule, index: index, at: time, engine: engine, context: context)
            } catch {
                errors.append(RuleEvaluationError(group: group.name, rule: rule.name, time: time, message: error.description))
            }
            var batch: [(labels: Labels, sample: Sample)] = output.map { ($0.0, Sample(timestamp: time, value: $0.1)) }
            let current = Set(output.map(\.0))
            for gone in previousSeries[index] where !current.contains(gone) {
                batch.append((gone, Sample(timestamp: time, value: StaleMarker.value)))
            }
            previousSeries[index] = current
            if !batch.isEmpty { sink.write(batch) }
        }
        return errors
    }

    private mutating func evaluate(
        _ rule: CompiledRule, index: Int, at time: Int64, engine: QueryEngine, context: TemplateContext
    ) throws(RuleResultError) -> [(Labels, Double)] {
        let queryTime = time - group.queryOffset
        let value: QueryValue
        do {
            value = try engine.instantQuery(rule.expr, at: queryTime)
        } catch {
            throw RuleResultError(error.description)
        }
        let samples = try RuleResults.vector(value, at: queryTime)
        switch rule.kind {
        case .recording:
            return try RuleResults.recorded(samples, rule: rule, limit: group.limit)
        case .alerting:
            // Templates query at the time the expression did, as Prometheus' do.
            try alerting[index].update(
                with: samples, rule: rule, at: time, limit: group.limit, context: context,
                query: .instant(engine, at: queryTime))
            return isRestored ? alerting[index].series(rule: rule.name) : []
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    mutating func inherit(ruleAt index: Int, from other: RuleGroupState, ruleAt otherIndex: Int) {
        alerting[index] = other.alerting[otherIndex]
        previousSeries[index] = other.previousSeries[otherIndex]
    }

    /// Every alert of the group, pending, firing and recently resolved.
    public var alerts: [AlertSnapshot] {
        group.rules.indices.flatMap { index in
            alerting[index].alerts.values.map { $0.snapshot(rule: group.rules[index].name, expression: group.rules[index].rule.expr.text) }
        }
    }

    /// After the first evaluation since start: pending alerts take the start of their
    /// episode from the newest `ALERTS_FOR_STATE` sample within `tolerance` before `time`,
    /// so that `for` keeps counting across a restart (and one whose `for` has run out fires at
    /// once); an alert of a rule with `keep_firing_for` that was firing at the last evaluation
    /// before the restart (its last `ALERTS{alertstate="firing"}` sample is not a stale marker)
    /// and is no longer returned keeps firing for the rest of its `keep_firing_for`.
    public mutating func restoreAlertState(from source: any SampleSource, at time: Int64, tolerance: Int64 = 3_600_000) {
        defer { isRestored = true }
        func storedStart(_ labels: Labels) -> Int64? {
            let matchers = [LabelMatcher.equal(Label.metricName, "ALERTS_FOR_STATE")]
                + labels.pairs.map { LabelMatcher.equal($0.name, $0.value) }
            guard let found = try? source.select(matchers, minTime: time - tolerance, maxTime: time),
                let series = found.first(where: { $0.labels == labels.adding(Label.metricName, "ALERTS_FOR_STATE") }),
                let last = series.samples.last(where: { !StaleMarker.isStale($0.value) && $0.timestamp < time })
            else { return nil }
            return Int64(last.value) * 1000
        }
        for index in group.rules.indices where group.rules[index].kind == .alerting {
            let rule = group.rules[index].rule
            if rule.forDuration > 0 {
                alerting[index].restore(at: time, holdFor: rule.forDuration, activeSince: storedStart)
            }
            guard rule.keepFiringFor > 0 else { continue }
            let matchers = [
                LabelMatcher.equal(Label.metricName, "ALERTS"), LabelMatcher.equal("alertname", rule.name),
                LabelMatcher.equal("alertstate", AlertState.firing.rawValue),
            ]
            guard let found = try? source.select(matchers, minTime: time - tolerance, maxTime: time) else { continue }
            for series in found {
                guard let last = series.samples.last(where: { $0.timestamp < time }), !StaleMarker.isStale(last.value) else { continue }
                let labels = series.labels.removing(Label.metricName).removing("alertstate")
                let activeSince = storedStart(labels) ?? last.timestamp
                alerting[index].restoreKeepFiring(
                    labels, activeSince: activeSince, firedAt: min(activeSince + rule.forDuration, last.timestamp),
                    keepFiringSince: last.timestamp)
            }
        }
    }
}
