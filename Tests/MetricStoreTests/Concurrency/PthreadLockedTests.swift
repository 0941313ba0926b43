import Foundation
import Testing
@testable import MetricStore

/// `PthreadLocked` stands in for `Mutex` in ThreadSanitizer builds: it must exclude as `Mutex`
/// does and pass errors through as `withLock` does.
struct PthreadLockedTests {
    struct Refused: Error, Equatable {}

    @Test func concurrentUpdatesAreNotLost() {
        let counter = PthreadLocked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == 80_000)
    }

    @Test func aThrowingBodyKeepsItsChangesAndReleasesTheLock() {
        let list = PthreadLocked([1])
        #expect(throws: Refused.self) {
            try list.withLock { (values: inout [Int]) throws(Refused) in
                values.append(2)
                throw Refused()
            }
        }
        #expect(list.withLock { $0 } == [1, 2])
    }
}
