import NIOConcurrencyHelpers
import Testing

@testable import ScaleAgent

@Suite struct SnapshotSourceTests {
    @Test func concurrentStaleReadersShareOneCollection() async {
        let collections = NIOLockedValueBox(0)
        let source = SnapshotSource {
            collections.withLockedValue { $0 += 1 }
            try? await Task.sleep(for: .milliseconds(100))
            return []
        }
        let snapshots = await withTaskGroup(of: MetricsSnapshot.self) { group in
            for _ in 0..<20 {
                group.addTask { await source.snapshot(maxAge: .seconds(1)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(collections.withLockedValue { $0 } == 1)
        #expect(snapshots.count == 20)
        #expect(snapshots.allSatisfy { $0 === snapshots[0] })
    }

    @Test func freshnessFollowsMaxAge() async {
        let now = NIOLockedValueBox(ContinuousClock.now)
        let source = SnapshotSource(clock: { (now.withLockedValue { $0 }, 0) }) { [] }
        #expect(source.fresh(maxAge: .seconds(1)) == nil)
        let first = await source.snapshot(maxAge: .seconds(1))
        #expect(source.fresh(maxAge: .seconds(1)) === first)
        now.withLockedValue { $0 += .milliseconds(1500) }
        #expect(source.fresh(maxAge: .seconds(1)) == nil)
        let second = await source.snapshot(maxAge: .seconds(1))
        #expect(second !== first)
    }
}
