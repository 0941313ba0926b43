import NIOConcurrencyHelpers

/// A detached thread kept between jobs, for work that must not run on a pool thread because a
/// call may never return (statvfs of a hung mount). Starting a thread for every collection cost
/// more than the calls it made; this one waits for the next job and exits after `idleExit`
/// without one.
///
/// A job that overran its caller's deadline may be blocked for good: the caller `retire`s the
/// thread, which then exits when (if ever) that job returns, and `ReusableThreadSlot` starts
/// another for the next job.
final class ReusableThread: @unchecked Sendable {
    /// True while a job waits or the thread is asked to exit: what the thread waits for.
    private let wake = ConditionLock(value: true)
    // Guarded by `wake`.
    private var queued: (@Sendable () -> Void)?
    private var retired = false

    private let idleExit: Duration

    private init(idleExit: Duration, first job: @escaping @Sendable () -> Void) {
        self.idleExit = idleExit
        self.queued = job
    }

    /// A thread that runs `job` at once, and later ones as they are submitted.
    static func start(idleExit: Duration, first job: @escaping @Sendable () -> Void) throws -> ReusableThread {
        let thread = ReusableThread(idleExit: idleExit, first: job)
        try DetachedThread.start { thread.serve() }
        return thread
    }

    /// Queues `job` behind the one running, if any; false when the thread has exited or is
    /// retiring, or another job already waits.
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        wake.lock()
        guard !retired, queued == nil else {
            wake.unlock()
            return false
        }
        queued = job
        wake.unlock(withValue: true)
        return true
    }

    /// No further jobs: the thread exits once the job it runs, if any, returns.
    func retire() {
        wake.lock()
        retired = true
        queued = nil
        wake.unlock(withValue: true)
    }

    private func serve() {
        while true {
            guard wake.lock(whenValue: true, timeout: idleExit) else {
                // Idle: exit, unless a job came in just as the wait ended.
                wake.lock()
                if queued == nil {
                    retired = true
                    wake.unlock()
                    return
                }
                wake.unlock()
                continue
            }
            guard !retired, let job = queued else {
                wake.unlock()
                return
            }
            queued = nil
            wake.unlock(withValue: false)
            job()
        }
    }
}

/// The thread one owner (a collector) runs its jobs on, started on first use and replaced when
/// it exits or is retired.
final class ReusableThreadSlot: Sendable {
    private let current = NIOLockedValueBox<ReusableThread?>(nil)
    private let idleExit: Duration

    init(idleExit: Duration = .seconds(60)) {
        self.idleExit = idleExit
    }

    func run(_ job: @escaping @Sendable () -> Void) throws {
        if let thread = current.withLockedValue({ $0 }), thread.submit(job) { return }
        // None yet, or it exited idle or was retired.
        let thread = try ReusableThread.start(idleExit: idleExit, first: job)
        current.withLockedValue { $0 = thread }
    }

    /// The current thread takes no more jobs (its job overran); the next `run` starts another.
    func retireCurrent() {
        let thread = current.withLockedValue { slot -> ReusableThread? in
            defer { slot = nil }
            return slot
        }
        thread?.retire()
    }
}
