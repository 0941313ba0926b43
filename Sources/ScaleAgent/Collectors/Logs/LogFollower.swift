import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Follows log sources on a thread of its own, so that reading (sd-journal, /dev/kmsg, file
/// tailing: blocking calls, and a million entries after a long outage) never runs on the
/// collection deadline path. Collectors only copy the counters out (`snapshot()`).
///
/// Positions are saved for what was *rendered*: `snapshot()` marks the positions that produced
/// the copied counters, and the thread saves those (`LogPositionFile`, atomically) shortly after.
/// An agent that dies and restarts therefore continues right after the last counters anyone saw:
/// entries counted but never exported are counted again by the new process, which is what
/// exported counters need (no loss, no double count across the restart).
final class LogFollower: @unchecked Sendable {
    // @unchecked: `readers` and `makeReaders` are touched only by the follower's own thread;
    // everything shared is in `state` or the condition lock.

    let name: String
    private let makeReaders: @Sendable () -> (readers: [any LogReader], source: String?)
    private var readers: [any LogReader] = []
    private let positionFile: LogPositionFile?
    private let logger: Logger
    private let predecessor: LogFollower?
    private let batchSize: Int
    private let pollInterval: Duration
    private let retryDelay: Duration
    private let idleGrace: Duration
    private let state: NIOLockedValueBox<State>
    private let finished = ConditionLock(value: false)
    private let wakeRead: Int32
    private let wakeWrite: Int32

    struct State {
        var tally: LogTally
        var positions: [String: String] = [:]
        /// Positions matching the counters last handed out by `snapshot()`.
        var rendered: [String: String]?
        var error: String?
        /// What is being read, once the thread has chosen; nil while there is nothing to read.
        var source: String?
        var stopRequested = false
        var leases = 0
        var idleSince: ContinuousClock.Instant?
        /// Times the thread found every reader caught up.
        var idlePasses = 0
        /// The sources are chosen and opened (or failed to open) once.
        var started = false
    }

    struct Snapshot: Sendable {
        var tally: LogTally
        var positions: [String: String]
        var error: String?
        var source: String?
    }

    init(
        name: String, tally: LogTally, positionFile: LogPositionFile?, logger: Logger, predecessor: LogFollower? = nil,
        batchSize: Int = 1024, pollInterval: Duration = .seconds(1), retryDelay: Duration = .seconds(10),
        idleGrace: Duration = .seconds(60),
        makeReaders: @escaping @Sendable () -> (readers: [any LogReader], source: String?)
    ) {
        self.name = name
        self.makeReaders = makeReaders
        self.positionFile = positionFile
        self.logger = logger
        self.predecessor = predecessor
        self.batchSize = batchSize
        self.pollInterval = pollInterval
        self.retryDelay = retryDelay
        self.idleGrace = idleGrace
        self.state = NIOLockedValueBox(State(tally: tally))
        var pipeEnds: [Int32] = [-1, -1]
        if pipe(&pipeEnds) == 0 {
            for end in pipeEnds {
                _ = fcntl(end, F_SETFL, O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        } else {
            pipeEnds = [-1, -1]
        }
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
    }

    deinit {
        if wakeRead >= 0 { closeDescriptor(wakeRead) }
        if wakeWrite >= 0 { closeDescriptor(wakeWrite) }
    }

    func start() {
        do {
            try DetachedThread.start(stackSize: 1 << 20) { [self] in run() }
        } catch {
            state.withLockedValue { $0.error = "cannot start the reader thread: \(error)" }
            finished.lock()
            finished.unlock(withValue: true)
        }
    }

    /// The counters as they stand, and the mark that they were rendered.
    func snapshot() -> Snapshot {
        let (snapshot, moved) = state.withLockedValue { state in
            let moved = state.rendered != state.positions
            state.rendered = state.positions
            return (Snapshot(tally: state.tally, positions: state.positions, error: state.error, source: state.source), moved)
        }
        // Save the new positions now rather than at the thread's next wake-up, so that a stop
        // right after this collection leaves them on disk.
        if moved { wake() }
        return snapshot
    }

    /// The counters, without marking them rendered (tests and benchmarks).
    func peekTally() -> LogTally {
        state.withLockedValue { $0.tally }
    }

    func requestStop() {
        state.withLockedValue { $0.stopRequested = true }
        wake()
    }

    @discardableResult
    func waitUntilStopped(timeout: Duration) -> Bool {
        guard finished.lock(whenValue: true, timeoutSeconds: timeout.seconds) else { return false }
        finished.unlock()
        return true
    }

    /// Counts a user (a collector's lease); false once the follower stops.
    func retain() -> Bool {
        state.withLockedValue { state in
            guard !state.stopRequested else { return false }
            state.leases += 1
            state.idleSince = nil
            return true
        }
    }

    /// The last user gone, the follower stops after `idleGrace` unless retained again: a reload
    /// with the same settings keeps its counters.
    func release() {
        state.withLockedValue { state in
            state.leases -= 1
            if state.leases <= 0 { state.idleSince = .now }
        }
    }

    /// Waits (at most `timeout`) until the thread has chosen and opened its sources, so that a
    /// collector's first collection already reports what it reads. Opening takes milliseconds;
    /// only the first collection ever waits.
    func waitUntilStarted(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while !state.withLockedValue({ $0.started }), ContinuousClock.now < deadline {
            usleep(1000)
        }
    }

    /// For tests and benchmarks: waits until the thread has found everything read at least
    /// once after this call.
    @discardableResult
    func waitUntilCaughtUp(timeout: Duration) -> Bool {
        let target = state.withLockedValue { $0.idlePasses } + 2
        let deadline = ContinuousClock.now + timeout
        wake()
        while ContinuousClock.now < deadline {
            if state.withLockedValue({ $0.idlePasses >= target || $0.error != nil }) { return true }
            usleep(2000)
        }
        return false
    }

    /// `waitUntilCaughtUp` for async callers: it sleeps between looks, where the blocking one
    /// would hold a thread of the cooperative pool (two on a 2-core machine) for the whole wait.
    func caughtUp(timeout: Duration) async -> Bool {
        let target = state.withLockedValue { $0.idlePasses } + 2
        let deadline = ContinuousClock.now + timeout
        wake()
        while ContinuousClock.now < deadline {
            if state.withLockedValue({ $0.idlePasses >= target || $0.error != nil }) { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    private func wake() {
        guard wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - The thread

    private func run() {
        defer {
            finished.lock()
            finished.unlock(withValue: true)
        }
        // `top -H` and the benchmark find the thread by this name (at most 15 bytes).
        nameThread(String(("log:" + name).prefix(15)))
        predecessor?.waitUntilStopped(timeout: .seconds(30))
        let chosen = makeReaders()
        readers = chosen.readers
        state.withLockedValue { state in
            state.source = chosen.source
            if chosen.readers.isEmpty { state.started = true }
        }
        guard !readers.isEmpty else { return idleUntilStopped() }

        var saved: [String: String]
        do {
            saved = try positionFile?.load() ?? [:]
        } catch {
            logger.warning(
                "log positions unreadable; starting at the end", metadata: ["collector": "\(name)", "error": "\(error)"])
            saved = [:]
        }
        var isOpen = false
        var firstOpen = true
        var lastSaveError: String?
        while !stopRequested() {
            if !isOpen {
                do {
                    for reader in readers { try reader.start(from: saved) }
                    isOpen = true
                    state.withLockedValue { state in
                        for reader in readers { state.positions.merge(reader.positions()) { $1 } }
                        // The counters are empty: the start positions match them.
                        if firstOpen { state.rendered = state.positions }
                        state.error = nil
                        state.started = true
                    }
                    firstOpen = false
                } catch {
                    fail(error)
                    state.withLockedValue { $0.started = true }
                    if !pause(retryDelay) { break }
                    continue
                }
            }
            var total = 0
            do {
                for reader in readers {
                    total += try state.withLockedValue { state in
                        // Also after a failure: what was counted before it must not be read again.
                        defer { state.positions.merge(reader.positions()) { $1 } }
                        return try reader.read(limit: batchSize, into: &state.tally)
                    }
                }
            } catch {
                fail(error)
                isOpen = false
                saved = state.withLockedValue { $0.positions }
                if !pause(retryDelay) { break }
                continue
            }
            saveRendered(&lastSaveError)
            if total == 0 {
                let idle = state.withLockedValue { state -> Bool in
                    state.idlePasses += 1
                    guard let since = state.idleSince, ContinuousClock.now - since >= idleGrace else { return false }
                    state.stopRequested = true
                    return true
                }
                if idle { break }
                waitForData()
            }
        }
        saveRendered(&lastSaveError)
        for reader in readers { reader.close() }
    }

    private func stopRequested() -> Bool { state.withLockedValue { $0.stopRequested } }

    private func fail(_ error: any Error) {
        for reader in readers { reader.close() }
        let message = "\(error)"
        let changed = state.withLockedValue { state -> Bool in
            defer { state.error = message }
            return state.error != message
        }
        if changed { logger.error("log reader failed; retrying", metadata: ["collector": "\(name)", "error": "\(message)"]) }
    }

    /// Saves the rendered positions if they moved since the last save.
    private func saveRendered(_ lastError: inout String?) {
        guard let positionFile else { return }
        guard let rendered = state.withLockedValue({ $0.rendered }) else { return }
        if let saved = savedPositions, saved == rendered { return }
        do {
            try positionFile.save(rendered)
            savedPositions = rendered
            lastError = nil
        } catch {
            if lastError != "\(error)" {
                logger.warning("cannot save log positions", metadata: ["collector": "\(name)", "error": "\(error)"])
            }
            lastError = "\(error)"
        }
    }

    private var savedPositions: [String: String]?

    /// Sleeps until a reader's descriptor is readable, the poll interval passes or a wake-up.
    private func waitForData() {
        var descriptors = readers.compactMap { $0.waitDescriptor() }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if wakeRead >= 0 { descriptors.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&descriptors, nfds_t(descriptors.count), Int32(pollInterval.milliseconds))
        drainWakeups()
        for reader in readers { reader.acknowledgeWakeup() }
    }

    /// Waits `delay` unless stopped first; false when stopped.
    private func pause(_ delay: Duration) -> Bool {
        let deadline = ContinuousClock.now + delay
        while ContinuousClock.now < deadline {
            if stopRequested() { return false }
            var descriptor = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 200)
            drainWakeups()
        }
        return !stopRequested()
    }

    private func idleUntilStopped() {
        while !stopRequested() {
            let idle = state.withLockedValue { state -> Bool in
                state.idlePasses += 1
                guard let since = state.idleSince, ContinuousClock.now - since >= idleGrace else { return false }
                state.stopRequested = true
                return true
            }
            if idle { return }
            var descriptor = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 1000)
            drainWakeups()
        }
    }

    private func drainWakeups() {
        guard wakeRead >= 0 else { return }
        var bytes = [UInt8](repeating: 0, count: 64)
        while bytes.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
    }
}

private func closeDescriptor(_ fd: Int32) { close(fd) }

/// `pthread_setname_np` for the calling thread. A GNU extension the Glibc module does not
/// export, so it is looked up at run time; without it the thread keeps its inherited name.
private func nameThread(_ name: String) {
    typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np") else { return }
    _ = unsafeBitCast(symbol, to: SetName.self)(pthread_self(), name)
}
