import MetricStore


/// A lock taken through `PowerLossFileSystem.lock`; locks do not survive a crash.
final class PowerLossFileLock: FileLock {
    private let fileSystem: PowerLossFileSystem
    private let path: String
    private let held = Locked(true)

    init(fileSystem: PowerLossFileSystem, path: String) {
        self.fileSystem = fileSystem
        self.path = path
    }

    deinit { release() }

    /// Idempotent: a second release must not free a lock someone else took since.
    public func release() {
        let wasHeld = held.withLock { held in
            defer { held = false }
            return held
        }
        if wasHeld { fileSystem.unlock(path) }
    }
}
