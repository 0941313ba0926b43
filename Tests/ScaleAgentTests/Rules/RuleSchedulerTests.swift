import AlertEngine
import Logging
import MetricStore
import Testing

@testable import ScaleAgent

/// The agent's rule scheduler against a real store: recorded series and ALERTS land in the
/// store, a new scheduler (a restart) restores a pending alert's start from the store, and
/// a reload with the same rules keeps a firing alert firing.
@Suite struct RuleSchedulerTests {
    static let rules = """
        groups:
          - name: g
            interval: 10s
            rules:
              - record: answer:doubled
                expr: answer * 2
              - alert: AnswerHigh
                expr: answer > 40
                for: 1m
                labels:
                  severity: page
                annotations:
                  summary: "answer is {{ $value }}"
        """

    private func groups(_ tree: ScratchTree) throws -> [CompiledRuleGroup] {
        tree.write("rules.yml", Self.rules)
        return try RuleCompiler.load(paths: [tree.root + "/rules.yml"], defaultInterval: 10_000)
    }

    private func feed(_ store: Store, at time: Int64) {
        store.append([(Labels(["__name__": "answer"]), Sample(timestamp: time, value: 42))])
    }

    private func value(_ store: Store, _ selector: String, at time: Int64) throws -> [VectorSample] {
        guard case .vector(let samples) = try QueryEngine(source: store).instantQuery(PromQLParser.parse(selector), at: time) else {
            return []
        }
        return samples
    }

    @Test func recordsAlertsAndRestoresAcrossARestart() throws {
        let tree = ScratchTree()
        let groups = try groups(tree)
        let start: Int64 = 1_800_000_000_000
        var store = try Store.open(directory: tree.root + "/data")
        var scheduler = RuleScheduler(store: store, logger: Logger(label: "test"))
        scheduler.apply(groups, externalLabels: [:])
        for step in 0..<4 {  // 0, 10, 20, 30 s: pending
            let time = start + Int64(step) * 10_000
            feed(store, at: time)
            scheduler.evaluateDue(at: time)
        }
        #expect(try value(store, "answer:doubled", at: start + 30_000).map(\.value) == [84])
        #expect(try value(store, #"ALERTS{alertstate="pending"}"#, at: start + 30_000).count == 1)
        #expect(try value(store, "ALERTS_FOR_STATE", at: start + 30_000).map(\.value) == [Double(start / 1000)])
        #expect(scheduler.alerts.map(\.state) == [.pending])
        store.close()

        // A restart 5 s later: the new scheduler's first evaluation restores the start, so
        // the alert fires 1 min after the original start, not after the restart.
        store = try Store.open(directory: tree.root + "/data")
        scheduler = RuleScheduler(store: store, logger: Logger(label: "test"))
        scheduler.apply(groups, externalLabels: [:])
        var firedAt: Int64?
        for step in 0..<8 {
            let time = start + 35_000 + Int64(step) * 10_000
            feed(store, at: time)
            scheduler.evaluateDue(at: time)
            if firedAt == nil, scheduler.alerts.first?.state == .firing { firedAt = time }
        }
        #expect(firedAt == start + 65_000)
        #expect(scheduler.alerts.first?.activeAt == start)
        #expect(scheduler.alerts.first?.annotations == Labels(["summary": "answer is 42"]))

        // A reload with unchanged rules keeps the firing alert firing.
        scheduler.apply(try self.groups(tree), externalLabels: [:])
        let time = start + 115_000
        feed(store, at: time)
        scheduler.evaluateDue(at: time)
        #expect(scheduler.alerts.map(\.state) == [.firing])
        store.close()
    }
}
