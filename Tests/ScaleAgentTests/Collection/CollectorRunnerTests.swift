import Logging
import NIOConcurrencyHelpers
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent

/// Collectors with scripted behaviour, to drive the runner's failure handling.
private struct ConstantCollector: Collector {
    let name: String
    func collect(into metrics: inout MetricsBuilder) throws {
        metrics.gauge("test_value", "A value.", 1, ["from": name])
    }
}

private struct FailingCollector: Collector {
    struct Broken: Error, CustomStringConvertible { var description: String { "broken on purpose" } }
    let name = "failing"
    func collect(into metrics: inout MetricsBuilder) throws { throw Broken() }
}

/// Blocks its thread until released, like a read from a hung mount.
private final class BlockingCollector: Collector, @unchecked Sendable {
    let name: String
    private let gate = ConditionLock(value: false)
    let calls = NIOLockedValueBox(0)

    init(name: String = "blocking") {
        self.name = name
    }

    func collect(into metrics: inout MetricsBuilder) throws {
        calls.withLockedValue { $0 += 1 }
        gate.lock(whenValue: true)
        gate.unlock()
        metrics.gauge("test_blocking", "Returned.", 1)
    }

    func release() {
        gate.lock()
        gate.unlock(withValue: true)
    }
}

@Suite struct CollectorRunnerTests {
    private func value(_ families: [MetricFamily], _ name: String, collector: String) -> Double? {
        families.first { $0.name == name }?.samples.first { $0.labels["collector"] == collector }?.value
    }

    @Test func aFailingCollectorFailsAlone() async {
        let runner = CollectorRunner(
            collectors: [ConstantCollector(name: "a"), FailingCollector(), ConstantCollector(name: "b")],
            timeout: .seconds(5), logger: Logger(label: "test"))
        defer { Task { _ = await runner.shutdown(within: .seconds(10)) } }
        let families = await runner.collectAll()
        #expect(value(families, "scalewatch_collector_success", collector: "a") == 1)
        #expect(value(families, "scalewatch_collector_success", collector: "b") == 1)
        #expect(value(families, "scalewatch_collector_success", collector: "failing") == 0)
        #expect(families.first { $0.name == "test_value" }?.samples.count == 2)
        #expect(value(families, "scalewatch_collector_duration_seconds", collector: "a") != nil)
    }

    // The collector stays blocked until the end, so a runner that waited for it would never
    // return: the time limit catches that. Wall time is not asserted: on a busy 2-core machine
    // other suites' blocking work can delay this task's wake-up by seconds.
    @Test(.timeLimit(.minutes(1)))
    func aStuckCollectorIsReportedAtTheDeadlineAndSkippedUntilItReturns() async throws {
        let blocking = BlockingCollector()
        let runner = CollectorRunner(
            collectors: [blocking, ConstantCollector(name: "a")], timeout: .milliseconds(200), logger: Logger(label: "test"))
        defer { Task { _ = await runner.shutdown(within: .seconds(10)) } }

        let first = await runner.collectAll()
        #expect(value(first, "scalewatch_collector_duration_seconds", collector: "blocking") == 0.2)
        #expect(value(first, "scalewatch_collector_success", collector: "blocking") == 0)
        #expect(value(first, "scalewatch_collector_success", collector: "a") == 1)

        // Still blocked: skipped, not called again (one stuck thread per collector at most).
        let second = await runner.collectAll()
        #expect(value(second, "scalewatch_collector_success", collector: "blocking") == 0)
        #expect(blocking.calls.withLockedValue { $0 } == 1)

        blocking.release()
        try await Task.sleep(for: .milliseconds(100))
        let third = await runner.collectAll()
        #expect(value(third, "scalewatch_collector_success", collector: "blocking") == 1)
        #expect(third.contains { $0.name == "test_blocking" })
    }

    /// A round takes as many workers as there are cores, and the pool keeps spare threads:
    /// with every worker of a round stuck (one stuck collector per core, taken first), the
    /// collectors queued behind them miss that round only, and the next one collects them.
    @Test(.timeLimit(.minutes(1)))
    func collectorsBehindAStuckRoundAreCollectedByTheNext() async {
        let blockers = (0..<System.coreCount).map { BlockingCollector(name: "blocking\($0)") }
        let runner = CollectorRunner(
            collectors: blockers + [ConstantCollector(name: "a")], timeout: .milliseconds(200), logger: Logger(label: "test"))
        _ = await runner.collectAll()
        let second = await runner.collectAll()
        #expect(value(second, "scalewatch_collector_success", collector: "a") == 1)
        #expect(value(second, "scalewatch_collector_success", collector: "blocking0") == 0)
        for blocker in blockers { blocker.release() }
        #expect(await runner.shutdown(within: .seconds(10)) == [])
    }

    /// A SIGTERM must not wait for a collector stuck in a system call: the shutdown gives up
    /// at its deadline and names the collector, for the agent's log.
    @Test func shutdownNamesAStuckCollectorInsteadOfWaitingForIt() async {
        let blocking = BlockingCollector()
        let runner = CollectorRunner(
            collectors: [blocking, ConstantCollector(name: "a")], timeout: .milliseconds(100), logger: Logger(label: "test"))
        _ = await runner.collectAll()
        #expect(await runner.shutdown(within: .milliseconds(200)) == ["blocking"])
        blocking.release()
        // Once it returns, the threads stop as usual.
        #expect(await runner.shutdown(within: .seconds(10)) == [])
    }
}
