#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOConcurrencyHelpers

/// Mount points whose last stat timed out and has not returned yet, shared by all collections.
final class StuckMounts: Sendable {
    private let mountPoints = NIOLockedValueBox<Set<String>>([])

    func contains(_ mountPoint: String) -> Bool { mountPoints.withLockedValue { $0.contains(mountPoint) } }
    func insert(_ mountPoint: String) { _ = mountPoints.withLockedValue { $0.insert(mountPoint) } }
    func remove(_ mountPoint: String) { _ = mountPoints.withLockedValue { $0.remove(mountPoint) } }
}

/// One collection's statvfs calls, made one after another on the collector's own thread (a
/// `ReusableThread`): a thread per mount, and later one per collection, cost more than the
/// calls themselves. If the collection stops waiting, the mount whose call is in progress is
/// marked stuck and the thread is retired: it stops after that call, and unmarks the mount when
/// the call finally returns. Mounts after it in the batch get
/// no result in that collection only: the next one skips the stuck mount.
///
/// Marking and unmarking happen under `finished`'s lock, so a call that returns just as the
/// wait times out cannot leave its mount marked stuck forever.
final class StatBatch: @unchecked Sendable {
    struct Target {
        /// Where statvfs is called (under the host's root in a container).
        var path: String
        var mountPoint: String
    }

    private let finished = ConditionLock(value: false)
    // Guarded by `finished`.
    private var results: [Result<FilesystemUsage, any Error>?]
    private var inProgress: Int?
    private var complete = false
    private var abandoned = false

    private let targets: [Target]
    private let stuck: StuckMounts
    private let logger: Logger

    private init(targets: [Target], stuck: StuckMounts, logger: Logger) {
        self.targets = targets
        self.results = Array(repeating: nil, count: targets.count)
        self.stuck = stuck
        self.logger = logger
    }

    static func start(
        _ targets: [Target], system: any HostSystem, on thread: ReusableThreadSlot, stuck: StuckMounts, logger: Logger
    ) throws -> StatBatch {
        let batch = StatBatch(targets: targets, stuck: stuck, logger: logger)
        guard !targets.isEmpty else {
            batch.finished.lock()
            batch.complete = true
            batch.finished.unlock(withValue: true)
            return batch
        }
        try thread.run { batch.run(system) }
        return batch
    }

    private func run(_ system: any HostSystem) {
        for (index, target) in targets.enumerated() {
            finished.lock()
            if abandoned {
                finished.unlock()
                return
            }
            inProgress = index
            finished.unlock()
            let outcome = Result { try system.filesystemUsage(atPath: target.path) }
            finished.lock()
            results[index] = outcome
            inProgress = nil
            if abandoned {
                stuck.remove(target.mountPoint)
                logger.info("statvfs of a stuck mount returned; collecting it again", metadata: ["mountpoint": "\(target.mountPoint)"])
                finished.unlock()
                return
            }
            complete = index == targets.count - 1
            finished.unlock(withValue: complete)
        }
    }

    /// The results in the targets' order once all came, or at the deadline those that came by
    /// then and the index of the mount just marked stuck.
    func wait(timeout: Duration) -> (results: [Result<FilesystemUsage, any Error>?], stuckIndex: Int?) {
        if !finished.lock(whenValue: true, timeout: timeout) {
            finished.lock()
        }
        defer { finished.unlock() }
        if complete { return (results, nil) }
        abandoned = true
        guard let inProgress else { return (results, nil) }
        stuck.insert(targets[inProgress].mountPoint)
        return (results, inProgress)
    }
}
