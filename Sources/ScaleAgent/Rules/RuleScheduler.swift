import AlertEngine
import Logging
import MetricStore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Evaluates the configured rule groups against the live store, each at its own interval on
/// a fixed schedule, writing recorded series and `ALERTS` back into the store. After a start
/// or a reload each group restores its pending alerts' `for` progress from the store.
public final class RuleScheduler: Sendable {
    private struct ScheduledGroup: Sendable {
        var state: RuleGroupState
        var nextDue: Int64
        var evaluations = 0
        var failures = 0
        var lastDuration: Double = 0
        var lastErrors: [String: String] = [:]
    }

    private let store: Store
    private let logger: Logger
    private let groups = Mutex<[ScheduledGroup]>([])
    private let context = Mutex(TemplateContext())

    public init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Installs a new set of groups (at start and on reload). A rule that is still there
    /// under the same group, name and expression keeps its alerts, so a reload neither
    /// resets `for` nor flaps a firing alert.
    public func apply(_ compiled: [CompiledRuleGroup], externalLabels: [String: String]) {
        context.withLock {
            $0 = TemplateContext(externalLabels: Labels(externalLabels.map { Label($0.key, $0.value) }))
        }
        groups.withLock { groups in
            let previous = Dictionary(groups.map { ("\($0.state.group.file)\u{0}\($0.state.group.name)", $0) }, uniquingKeysWith: { $1 })
            groups = compiled.map { group in
                let key = "\(group.file)\u{0}\(group.name)"
                guard let old = previous[key] else { return ScheduledGroup(state: RuleGroupState(group: group), nextDue: .min) }
                var kept = ScheduledGroup(state: old.state.carryingOver(to: group), nextDue: old.nextDue)
                kept.evaluations = old.evaluations
                kept.failures = old.failures
                return kept
            }
        }
        logger.info("rule groups loaded", metadata: ["groups": "\(compiled.count)", "rules": "\(compiled.reduce(0) { $0 + $1.rules.count })"])
    }

    /// Runs until cancelled.
    public func run() async {
        while !Task.isCancelled {
            let now = Self.now()
            evaluateDue(at: now)
            let next = groups.withLock { $0.map(\.nextDue).min() } ?? (now + 1000)
            let current = Self.now()
            let wait = next <= current ? 1 : min(next - current, 1000)
            try? await Task.sleep(for: .milliseconds(wait))
        }
    }

    /// Evaluates every group whose time has come. Public for tests, which pass the time.
    public func evaluateDue(at now: Int64) {
        let context = self.context.withLock { $0 }
        groups.withLock { groups in
            for index in groups.indices where groups[index].nextDue <= now {
                let group = groups[index].state.group
                let started = ContinuousClock.now
                let engine = QueryEngine(source: store, defaultSubqueryStep: group.interval)
                let errors = groups[index].state.evaluate(at: now, engine: engine, sink: store, context: context)
                if !groups[index].state.isRestored {
                    groups[index].state.restoreAlertState(from: store, at: now)
                }
                let elapsed = ContinuousClock.now - started
                groups[index].lastDuration = elapsed.seconds
                groups[index].evaluations += 1
                groups[index].failures += errors.count
                logChanges(errors, in: &groups[index])
                // Aligned to the first evaluation, so a slow evaluation does not shift later ones.
                let due = groups[index].nextDue
                var next = due == .min ? now + group.interval : due + group.interval
                if next <= now { next = now + group.interval - (now - due) % group.interval }
                groups[index].nextDue = next
            }
        }
    }

    /// Alerts of every group, for the API and notifications.
    public var alerts: [AlertSnapshot] {
        groups.withLock { $0.flatMap(\.state.alerts) }
    }

    /// `scalewatch_rule_*` and `scalewatch_alerts` for the agent's own health.
    public func report(into metrics: inout MetricsBuilder) {
        groups.withLock { groups in
            for entry in groups {
                let labels: KeyValuePairs<String, String> = ["rule_group": "\(entry.state.group.file);\(entry.state.group.name)"]
                metrics.counter("scalewatch_rule_group_evaluations_total", "Evaluations of a rule group.", Double(entry.evaluations), labels)
                metrics.counter(
                    "scalewatch_rule_evaluation_failures_total", "Rule evaluations that failed (query error, bad result, limit).",
                    Double(entry.failures), labels)
                metrics.gauge("scalewatch_rule_group_last_duration_seconds", "How long the group's last evaluation took.", entry.lastDuration, labels)
                metrics.gauge("scalewatch_rule_group_rules", "Rules in the group.", Double(entry.state.group.rules.count), labels)
            }
            var counts: [AlertState: Int] = [.pending: 0, .firing: 0]
            for alert in groups.flatMap(\.state.alerts) where alert.state != .inactive { counts[alert.state, default: 0] += 1 }
            for state in [AlertState.pending, .firing] {
                metrics.gauge("scalewatch_alerts", "Alerts by state.", Double(counts[state] ?? 0), ["alertstate": state.rawValue])
            }
        }
    }

    /// Logs a rule's error when it appears or changes, not at every evaluation.
    private func logChanges(_ errors: [RuleEvaluationError], in group: inout ScheduledGroup) {
        var current: [String: String] = [:]
        for error in errors { current[error.rule] = error.message }
        for (rule, message) in current where group.lastErrors[rule] != message {
            logger.warning("rule evaluation failed", metadata: ["group": "\(group.state.group.name)", "rule": "\(rule)", "error": "\(message)"])
        }
        group.lastErrors = current
    }

    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
