import AlertEngine
import Logging
import MetricStore
import Testing

@testable import ScaleAgent

/// A restart while an alert fires (issue 11 §2, "restarts and flapping"): the alert is firing
/// again right after the first evaluation, with the same start, so that the notifier never
/// sees it go away (no false resolve) nor start over.
@Suite struct RuleSchedulerFiringRestoreTests {
    static let rules = """
        groups:
          - name: g
            interval: 10s
            rules:
              - alert: AnswerHigh
                expr: answer > 40
                for: 1m
        """

    @Test func aFiringAlertIsFiringRightAfterARestart() throws {
        let tree = ScratchTree()
        tree.write("rules.yml", Self.rules)
        let groups = try RuleCompiler.load(paths: [tree.root + "/rules.yml"], defaultInterval: 10_000)
        let start: Int64 = 1_800_000_000_000
        var store = try Store.open(directory: tree.root + "/data")
        var scheduler = RuleScheduler(store: store, logger: Logger(label: "test"))
        scheduler.apply(groups, externalLabels: [:])
        for step in 0..<10 {  // 0 … 90 s: pending, then firing from 60 s
            let time = start + Int64(step) * 10_000
            store.append([(Labels(["__name__": "answer"]), Sample(timestamp: time, value: 42))])
            scheduler.evaluateDue(at: time)
        }
        #expect(scheduler.alerts.map(\.state) == [.firing])
        #expect(scheduler.alerts.first?.firedAt == start + 60_000)
        store.close()

        store = try Store.open(directory: tree.root + "/data")
        scheduler = RuleScheduler(store: store, logger: Logger(label: "test"))
        scheduler.apply(groups, externalLabels: [:])
        let time = start + 95_000
        store.append([(Labels(["__name__": "answer"]), Sample(timestamp: time, value: 42))])
        scheduler.evaluateDue(at: time)
        #expect(scheduler.alerts.map(\.state) == [.firing], "no pending gap after the restart")
        #expect(scheduler.alerts.first?.activeAt == start)
        #expect(scheduler.alerts.first?.firedAt == start + 60_000)
        // And it stays firing, resolving only when the expression stops returning it.
        store.append([(Labels(["__name__": "answer"]), Sample(timestamp: time + 10_000, value: 42))])
        scheduler.evaluateDue(at: time + 10_000)
        #expect(scheduler.alerts.map(\.state) == [.firing])
        store.append([(Labels(["__name__": "answer"]), Sample(timestamp: time + 20_000, value: 1))])
        scheduler.evaluateDue(at: time + 20_000)
        #expect(scheduler.alerts.map(\.state) == [.inactive])
        #expect(scheduler.alerts.first?.resolvedAt == time + 20_000)
        store.close()
    }

    @Test func keepFiringForContinuesAcrossARestart() throws {
        let tree = ScratchTree()
        tree.write(
            "rules.yml",
            """
            groups:
              - name: g
                interval: 10s
                rules:
                  - alert: AnswerHigh
                    expr: answer > 40
                    keep_firing_for: 2m
                    annotations: {summary: "high"}
            """)
        let groups = try RuleCompiler.load(paths: [tree.root + "/rules.yml"], defaultInterval: 10_000)
        let start: Int64 = 1_800_000_000_000
        func feed(_ store: Store, _ scheduler: RuleScheduler, at time: Int64, _ value: Double) {
            store.append([(Labels(["__name__": "answer"]), Sample(timestamp: time, value: value))])
            scheduler.evaluateDue(at: time)
        }
        var store = try Store.open(directory: tree.root + "/data")
        var scheduler = RuleScheduler(store: store, logger: Logger(label: "test"))
        scheduler.apply(groups, externalLabels: [:])
        for step in 0..<4 { feed(store, scheduler, at: start + Int64(step) * 10_000, 42) }
        // The expression stops returning it at 40 s: firing, kept by keep_firing_for.
        for step in 4..<6 { feed(store, scheduler, at: start + Int64(step) * 10_000, 1) }
        #expect(scheduler.alerts.map(\.state) == [.firing])
        store.close()

        store = try Store.open(directory: tree.root + "/data")
        scheduler = RuleScheduler(store: store, logger: Logger(label: "test"))
        scheduler.apply(groups, externalLabels: [:])
        feed(store, scheduler, at: start + 55_000, 1)
        #expect(scheduler.alerts.map(\.state) == [.firing], "still firing after the restart, not resolved")
        #expect(scheduler.alerts.first?.activeAt == start)
        #expect(scheduler.alerts.first?.labels == Labels(["alertname": "AnswerHigh"]))
        // Kept from the last evaluation before the restart (50 s) for 2 min.
        feed(store, scheduler, at: start + 165_000, 1)
        #expect(scheduler.alerts.map(\.state) == [.firing])
        feed(store, scheduler, at: start + 175_000, 1)
        #expect(scheduler.alerts.map(\.state) == [.inactive])
        #expect(scheduler.alerts.first?.resolvedAt == start + 175_000)
        store.close()
    }
}
