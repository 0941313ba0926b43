#if canImport(Glibc)
import Glibc
#endif
import Dispatch
@testable import MetricStore
import TestSupport

/// A file system whose next file fsync can be held at a gate: it blocks until the test opens
/// the gate, as a slow disk would, and can then fail with EIO. Everything else goes straight
/// to the wrapped file system.
final class GatedSyncFileSystem: InterceptingFileSystem, @unchecked Sendable {
    private let gate = Locked(Gate())
    private let entered = DispatchSemaphore(value: 0)
    private let opened = DispatchSemaphore(value: 0)

    private struct Gate {
        var armed = false
        var fail = false
    }

    init(_ base: any FileSystem) {
        super.init(base: base)
    }

    /// Holds the next file fsync at the gate; with `failing`, it fails once let through.
    func arm(failing: Bool = false) {
        gate.withLock { $0 = Gate(armed: true, fail: failing) }
    }

    /// Whether an fsync reached the gate within `seconds`.
    func waitUntilHeld(seconds: Double = 10) -> Bool {
        entered.wait(timeout: .now() + seconds) == .success
    }

    func open() {
        opened.signal()
    }

    override func willSync(_ path: String) throws(FileSystemError) {
        let held = gate.withLock { gate -> Gate? in
            guard gate.armed else { return nil }
            let taken = gate
            gate = Gate()
            return taken
        }
        if let held {
            entered.signal()
            opened.wait()
            if held.fail { throw FileSystemError(operation: "fsync", path: path, errno: EIO) }
        }
    }
}
