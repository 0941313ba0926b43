import Foundation
import Synchronization
import Testing

@testable import MetricStore
import TestSupport

/// Appends from several threads must reach the WAL in an order replay can use: a new series'
/// record before any sample that refers to it. Without that, a second thread could log a
/// sample for a series the first thread had created in the head but not yet logged, and
/// replay would drop it.
@Suite struct StoreConcurrentAppendTests {
    @Test func everySampleAppendedFromTwoThreadsIsReplayed() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let rounds = 2_000
        let accepted = Atomic<Int>(0)
        do {
            let store = try Store.open(directory: directory.path)
            // Each round both threads append to the same series, which neither has seen:
            // whichever comes first creates it, and the other appends to it at once.
            DispatchQueue.concurrentPerform(iterations: 2) { thread in
                for round in 0..<rounds {
                    let labels = Labels(["__name__": "raced", "round": String(round)])
                    let summary = store.append([(labels, Sample(timestamp: Int64(thread), value: Double(thread)))])
                    accepted.add(summary.appended, ordering: .relaxed)
                }
            }
            try store.sync()
            store.close()
        }
        var readOnly = StoreOptions()
        readOnly.readOnly = true
        let reopened = try Store.open(directory: directory.path, options: readOnly)
        defer { reopened.close() }
        let replayed = try reopened.select([.equal("__name__", "raced")])
        #expect(replayed.count == rounds)
        #expect(replayed.reduce(0) { $0 + $1.samples.count } == accepted.load(ordering: .relaxed))
        #expect(accepted.load(ordering: .relaxed) >= rounds)
    }
}
