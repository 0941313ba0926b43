import AlertEngine
import Logging
import MetricStore

#if canImport(Glibc)
import Glibc
#endif

/// Evaluates the configured rule groups against the live store, each at its own interval on
/// a fixed schedule, writing recorded series and `ALERTS` through the sink (the store's
/// writer). After a start or a reload each group restores its pending alerts' `for` progress
/// from the store.
///
/// Each group is evaluated on the reader pool, under a lock of its own: a slow group holds
/// up neither the other groups nor `/metrics`, which reads only what each group published
/// after its last evaluation.
public final class RuleScheduler: Sendable {
    private let store: Store
    private let sink: any RuleOutputSink
    private let pool: ReaderPool?
    private let logger: Logger
    private let slots = Locked<[RuleGroupSlot]>([])
    private let context = Locked(TemplateContext())
    private let windowStart = Locked(WindowStart.excluded)

    /// Without a pool, `run()` evaluates on the calling task (tests); the agent passes one.
    public init(store: Store, sink: (any RuleOutputSink)? = nil, pool: ReaderPool? = nil, logger: Logger) {
        self.store = store
        self.sink = sink ?? store
        self.pool = pool
        self.logger = logger
    }

    /// Installs a new set of groups (at start and on reload). A rule that is still there
    /// under the same group, name and expression keeps its alerts, so a reload neither
    /// resets `for` nor flaps a firing alert. Waits for an evaluation of a kept group in
    /// progress, so that its result is carried over rather than lost.
    public func apply(_ compiled: [CompiledRuleGroup], externalLabels: [String: String]) {
        apply(compiled, context: TemplateContext(externalLabels: Labels(externalLabels.map { Label($0.key, $0.value) })))
    }

    /// As above, with what templates see as `$externalLabels` and `$externalURL`.
    public func apply(_ compiled: [CompiledRuleGroup], context newContext: TemplateContext) {
        context.withLock { $0 = newContext }
        slots.withLock { slots in
            let previous = Dictionary(slots.map { ($0.key, $0) }, uniquingKeysWith: { $1 })
            slots = compiled.map { group in
                guard let old = previous[RuleGroupSlot.key(group)] else { return RuleGroupSlot(group: group) }
                return old.succeeded(by: group)
            }
            let kept = Set(slots.map(\.key))
            for old in previous.values where !kept.contains(old.key) { old.retire() }
        }
        logger.info("rule groups loaded", metadata: ["groups": "\(compiled.count)", "rules": "\(compiled.reduce(0) { $0 + $1.rules.count })"])
    }

    /// `query.window_start`, for the evaluations from now on (at start and on reload).
    public func apply(windowStart newValue: WindowStart) {
        windowStart.withLock { $0 = newValue }
    }

    /// Runs until cancelled: hands each group that is due to the reader pool, unless its
    /// previous evaluation is still running (that iteration is missed, as in Prometheus).
    public func run() async {
        while !Task.isCancelled {
            let now = Self.now()
            let due = slots.withLock { $0 }.filter { $0.claim(at: now) }
            for slot in due {
                if let pool {
                    Task {
                        _ = try? await pool.run(bounded: false) { self.evaluate(slot, at: now) }
                        slot.finish()
                    }
                } else {
                    evaluate(slot, at: now)
                    slot.finish()
                }
            }
            let next = slots.withLock { $0 }.map(\.nextDue).min() ?? (now + 1000)
            let current = Self.now()
            let wait = next <= current ? 1 : min(next - current, 1000)
            try? await Task.sleep(for: .milliseconds(wait))
        }
    }

    /// Evaluates every group whose time has come, on the calling thread. Public for tests,
    /// which pass the time.
    public func evaluateDue(at now: Int64) {
        for slot in slots.withLock({ $0 }) where slot.claim(at: now) {
            evaluate(slot, at: now)
            slot.finish()
        }
    }

    private func evaluate(_ slot: RuleGroupSlot, at now: Int64) {
        let context = self.context.withLock { $0 }
        slot.evaluate(at: now, store: store, sink: sink, context: context, windowStart: windowStart.withLock { $0 }) { errors, group in
            var current: [String: String] = [:]
            for error in errors { current[error.rule] = error.message }
            // Logged when an error appears or changes, not at every evaluation.
            for (rule, message) in current where group.lastErrors[rule] != message {
                logger.warning("rule evaluation failed", metadata: ["group": "\(group.name)", "rule": "\(rule)", "error": "\(message)"])
            }
            return current
        }
    }

    /// Alerts of every group as of their last evaluations, for the API and notifications.
    public var alerts: [AlertSnapshot] {
        slots.withLock { $0 }.flatMap { $0.published.alerts }
    }

    /// Every group in file order as of its last evaluation, for `/api/v1/rules` and `/api/v1/alerts`.
    var groups: [RuleGroupStatus] {
        slots.withLock { $0 }.map(\.published)
    }

    /// `scalewatch_rule_*` and `scalewatch_alerts` for the agent's own health.
    public func report(into metrics: inout MetricsBuilder) {
        let published = slots.withLock { $0 }.map(\.published)
        for entry in published {
            let labels: KeyValuePairs<String, String> = ["rule_group": "\(entry.file);\(entry.name)"]
            metrics.counter("scalewatch_rule_group_evaluations_total", "Evaluations of a rule group.", Double(entry.evaluations), labels)
            metrics.counter(
                "scalewatch_rule_evaluation_failures_total", "Rule evaluations that failed (query error, bad result, limit).",
                Double(entry.failures), labels)
            metrics.gauge("scalewatch_rule_group_last_duration_seconds", "How long the group's last evaluation took.", entry.lastDuration, labels)
            metrics.gauge("scalewatch_rule_group_rules", "Rules in the group.", Double(entry.rules), labels)
        }
        var counts: [AlertState: Int] = [.pending: 0, .firing: 0]
        for alert in published.flatMap(\.alerts) where alert.state != .inactive { counts[alert.state, default: 0] += 1 }
        for state in [AlertState.pending, .firing] {
            metrics.gauge("scalewatch_alerts", "Alerts by state.", Double(counts[state] ?? 0), ["alertstate": state.rawValue])
        }
    }

    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
