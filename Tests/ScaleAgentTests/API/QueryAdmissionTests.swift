import Testing

@testable import ScaleAgent

/// `query.max_concurrency` and `query.max_queued`: a query beyond both is refused at once with
/// 503 `unavailable`; a waiting one runs when a running one ends.
@Suite struct QueryAdmissionTests {
    @Test func refusesBeyondTheQueueAndHandsOverSlotsInOrder() async throws {
        let admission = QueryAdmission()
        try await admission.acquire(maxRunning: 1, maxQueued: 1)
        let waiter = Task { try await admission.acquire(maxRunning: 1, maxQueued: 1) }
        while admission.load.waiting == 0 { await Task.yield() }
        await #expect {
            try await admission.acquire(maxRunning: 1, maxQueued: 1)
        } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.kind == .unavailable && error.kind.status == .serviceUnavailable
                && error.message.hasPrefix("too many concurrent queries")
        }
        #expect(admission.load == (1, 1))
        admission.release()
        try await waiter.value
        #expect(admission.load == (1, 0))
        admission.release()
        #expect(admission.load == (0, 0))
    }

    @Test func withoutAQueueABusyPoolRefusesAtOnce() async throws {
        let admission = QueryAdmission()
        try await admission.acquire(maxRunning: 2, maxQueued: 0)
        try await admission.acquire(maxRunning: 2, maxQueued: 0)
        await #expect(throws: APIError.self) { try await admission.acquire(maxRunning: 2, maxQueued: 0) }
        admission.release()
        try await admission.acquire(maxRunning: 2, maxQueued: 0)
    }
}
