import AlertEngine
import Logging
import MetricStore
import NIOConcurrencyHelpers
import Testing

@testable import ScaleAgent

/// A rule group that takes a long time must hold up neither the other groups nor the
/// agent's own metrics, which `/metrics` reports on every scrape.
@Suite(.timeLimit(.minutes(2))) struct RuleSchedulerConcurrencyTests {
    static let rules = """
        groups:
          - name: slow
            interval: 1s
            rules:
              - record: slow:value
                expr: vector(1)
          - name: fast
            interval: 1s
            rules:
              - record: fast:value
                expr: vector(2)
        """

    /// Writes to the store, except that the slow group's output waits until released: an
    /// evaluation that takes as long as the test wants.
    final class HeldSink: RuleOutputSink {
        let store: Store
        let released = ConditionLock(value: false)
        let holding = NIOLockedValueBox(false)

        init(store: Store) { self.store = store }

        func write(_ samples: [(labels: Labels, sample: Sample)]) {
            if samples.contains(where: { $0.labels["__name__"] == "slow:value" }) {
                holding.withLockedValue { $0 = true }
                released.lock(whenValue: true)
                released.unlock()
            }
            store.append(samples)
        }

        func release() {
            released.lock()
            released.unlock(withValue: true)
        }
    }

    private func evaluations(_ scheduler: RuleScheduler, group: String) -> Double? {
        var metrics = MetricsBuilder()
        scheduler.report(into: &metrics)
        return metrics.build().first { $0.name == "scalewatch_rule_group_evaluations_total" }?
            .samples.first { $0.labels["rule_group"]?.hasSuffix(";\(group)") == true }?.value
    }

    @Test func aSlowGroupHoldsUpNeitherOtherGroupsNorReports() async throws {
        let tree = ScratchTree()
        tree.write("rules.yml", Self.rules)
        let groups = try RuleCompiler.load(paths: [tree.root + "/rules.yml"], defaultInterval: 1000)
        let store = try Store.open(directory: tree.root + "/data")
        let sink = HeldSink(store: store)
        let pool = ReaderPool(threads: 2, maxQueued: 0)
        let scheduler = RuleScheduler(store: store, sink: sink, pool: pool, logger: Logger(label: "test"))
        scheduler.apply(groups, externalLabels: [:])
        let running = Task { await scheduler.run() }

        await eventually("the slow group is evaluating") { sink.holding.withLockedValue { $0 } }
        // The fast group goes on at its interval, and reports (as /metrics makes them) read
        // what each group published without waiting for the slow one.
        await eventually("the fast group has evaluated twice more") { (evaluations(scheduler, group: "fast") ?? 0) >= 3 }
        #expect(evaluations(scheduler, group: "slow") == 0)
        #expect(scheduler.alerts.isEmpty)

        sink.release()
        await eventually("the slow group finished") { evaluations(scheduler, group: "slow") == 1 }
        running.cancel()
        await running.value
        await pool.shutdown()
        store.close()
    }
}
