import MetricStore

/// Runs one check group with a time limit that holds even when the work never returns (a hung
/// server, a receiver that accepts and never answers, a stuck NFS mount): the caller gets nil
/// at the deadline and the work is left to finish or not — the command exits anyway.
/// Blocking system calls go through `blocking`, on a thread of their own, so that they cannot
/// take the concurrency pool's few threads and with them the timer.
enum DoctorDeadline {
    private final class Slot<Value: Sendable>: Sendable {
        let continuation: Locked<CheckedContinuation<Value?, Never>?>
        init(_ continuation: CheckedContinuation<Value?, Never>) { self.continuation = Locked(continuation) }

        /// Resumes the caller once; later answers are dropped.
        func resume(_ value: Value?) -> Bool {
            guard let continuation = self.continuation.withLock({ slot in defer { slot = nil }; return slot }) else { return false }
            continuation.resume(returning: value)
            return true
        }
    }

    static func run<Value: Sendable>(limit: Duration, _ work: @escaping @Sendable () async -> Value) async -> Value? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
            let slot = Slot(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                _ = slot.resume(nil)
            }
            Task {
                let value = await work()
                if slot.resume(value) { timer.cancel() }
            }
        }
    }

    /// `body` on a detached thread; the caller waits without holding a pool thread.
    static func blocking<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            do {
                try DetachedThread.start(stackSize: 1 << 20) { continuation.resume(returning: body()) }
            } catch {
                continuation.resume(returning: body())
            }
        }
    }
}
