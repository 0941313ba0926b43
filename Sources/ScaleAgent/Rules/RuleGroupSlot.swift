import AlertEngine
import MetricStore

/// One rule group in the scheduler. Its evaluation state sits behind a lock held for a whole
/// evaluation; its schedule and what it published after its last evaluation sit behind locks
/// of their own, so that the scheduler's loop and `/metrics` never wait for an evaluation.
final class RuleGroupSlot: Sendable {
    private struct Evaluation {
        var state: RuleGroupState
        /// Set when a reload replaced or removed the group: an evaluation claimed before the
        /// reload must not write beside its successor.
        var retired = false
    }

    private struct Schedule {
        var nextDue: Int64
        var running = false
    }

    let key: String
    private let interval: Int64
    private let evaluation: Locked<Evaluation>
    private let schedule: Locked<Schedule>
    private let publishedState: Locked<RuleGroupStatus>

    convenience init(group: CompiledRuleGroup) {
        self.init(
            state: RuleGroupState(group: group), nextDue: .min,
            published: RuleGroupStatus(group: group))
    }

    private init(state: RuleGroupState, nextDue: Int64, published: RuleGroupStatus) {
        key = Self.key(state.group)
        interval = state.group.interval
        evaluation = Locked(Evaluation(state: state))
        schedule = Locked(Schedule(nextDue: nextDue))
        publishedState = Locked(published)
    }

    static func key(_ group: CompiledRuleGroup) -> String { "\(group.file)\u{0}\(group.name)" }

    var published: RuleGroupStatus { publishedState.withLock { $0 } }

    /// When the group is next due; never, while an evaluation runs.
    var nextDue: Int64 { schedule.withLock { $0.running ? .max : $0.nextDue } }

    /// Takes the evaluation due at `now`, if any and none is running, and moves the schedule
    /// on; `finish()` must follow. The schedule stays aligned to the first evaluation, so a
    /// slow evaluation does not shift later ones; missed iterations are skipped.
    func claim(at now: Int64) -> Bool {
        schedule.withLock { schedule in
            guard !schedule.running, schedule.nextDue <= now else { return false }
            schedule.running = true
            let due = schedule.nextDue
            var next = due == .min ? now + interval : due + interval
            if next <= now { next = now + interval - (now - due) % interval }
            schedule.nextDue = next
            return true
        }
    }

    func finish() {
        schedule.withLock { $0.running = false }
    }

    /// Evaluates the group at `now` and publishes the outcome. `logErrors` gets the failed
    /// rules and what was published before, and returns the errors to remember.
    func evaluate(
        at now: Int64, store: Store, sink: any RuleOutputSink, context: TemplateContext, windowStart: WindowStart = .excluded,
        logErrors: ([RuleEvaluationError], RuleGroupStatus) -> [String: String]
    ) {
        evaluation.withLock { evaluation in
            guard !evaluation.retired else { return }
            let started = ContinuousClock.now
            let engine = QueryEngine(source: store, defaultSubqueryStep: evaluation.state.group.interval, windowStart: windowStart)
            let errors = evaluation.state.evaluate(at: now, engine: engine, sink: sink, context: context)
            if !evaluation.state.isRestored {
                evaluation.state.restoreAlertState(from: store, at: now)
            }
            let elapsed = (ContinuousClock.now - started).seconds
            let alerts = evaluation.state.alerts
            let ruleDurations = evaluation.state.ruleDurations
            let lastErrors = logErrors(errors, published)
            publishedState.withLock { published in
                published.evaluations += 1
                published.failures += errors.count
                published.lastDuration = elapsed
                published.lastEvaluation = now
                published.ruleDurations = ruleDurations
                published.alerts = alerts
                published.lastErrors = lastErrors
            }
        }
    }

    /// The slot that replaces this one on a reload that kept the group: the same alerts (for
    /// rules still there), schedule and counters. Waits for an evaluation in progress.
    func succeeded(by group: CompiledRuleGroup) -> RuleGroupSlot {
        let state = evaluation.withLock { evaluation in
            evaluation.retired = true
            return evaluation.state
        }
        var published = self.published
        published.group = group
        published.ruleDurations = []
        return RuleGroupSlot(
            state: state.carryingOver(to: group), nextDue: schedule.withLock { $0.nextDue }, published: published)
    }

    /// For a group a reload removed.
    func retire() {
        evaluation.withLock { $0.retired = true }
    }
}
