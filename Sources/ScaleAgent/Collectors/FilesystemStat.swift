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

/// One statvfs on its own detached thread. If the collection stops waiting, the mount is
/// marked stuck; the thread unmarks it when the call finally returns. Both happen under
/// `finished`'s lock, so a call that returns just as the wait times out cannot leave the mount
/// marked stuck forever.
final class PendingStat: @unchecked Sendable {
    private let finished = ConditionLock(value: false)
    // Guarded by `finished`.
    private var result: Result<FilesystemUsage, any Error>?
    private var abandoned = false

    private let mountPoint: String
    private let stuck: StuckMounts
    private let logger: Logger

    private init(mountPoint: String, stuck: StuckMounts, logger: Logger) {
        self.mountPoint = mountPoint
        self.stuck = stuck
        self.logger = logger
    }

    static func start(
        path: String, mountPoint: String, system: any HostSystem, stuck: StuckMounts, logger: Logger
    ) throws -> PendingStat {
        let call = PendingStat(mountPoint: mountPoint, stuck: stuck, logger: logger)
        try DetachedThread.start {
            call.complete(Result { try system.filesystemUsage(atPath: path) })
        }
        return call
    }

    private func complete(_ outcome: Result<FilesystemUsage, any Error>) {
        finished.lock()
        result = outcome
        if abandoned {
            stuck.remove(mountPoint)
            logger.info("statvfs of a stuck mount returned; collecting it again", metadata: ["mountpoint": "\(mountPoint)"])
        }
        finished.unlock(withValue: true)
    }

    /// The result, or nil after marking the mount stuck if none came in time.
    func wait(timeout: Duration) -> Result<FilesystemUsage, any Error>? {
        if !finished.lock(whenValue: true, timeout: timeout) {
            finished.lock()
        }
        defer { finished.unlock() }
        if let result { return result }
        abandoned = true
        stuck.insert(mountPoint)
        return nil
    }
}
