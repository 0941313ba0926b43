import MetricStore
import NIOConcurrencyHelpers
import TestSupport

/// The real file system, except that writes or fsyncs of chosen files wait at a gate until
/// the test opens it: a disk that is slow exactly where a test wants it, without timing.
final class GatedFileSystem: InterceptingFileSystem, @unchecked Sendable {
    enum Operation: Sendable { case write, sync }

    private let gated: @Sendable (_ path: String, _ operation: Operation) -> Bool
    /// 1 once open.
    private let gate = ConditionLock(value: 0)
    private let state = NIOLockedValueBox<(open: Bool, waiting: [String])>((false, []))

    init(gated: @escaping @Sendable (_ path: String, _ operation: Operation) -> Bool) {
        self.gated = gated
        super.init()
    }

    /// Paths whose operation is waiting at the gate now.
    var waiting: [String] { state.withLockedValue { $0.waiting } }

    func open() {
        state.withLockedValue { $0.open = true }
        gate.lock()
        gate.unlock(withValue: 1)
    }

    func pass(_ path: String, _ operation: Operation) {
        guard gated(path, operation), !state.withLockedValue({ $0.open }) else { return }
        state.withLockedValue { $0.waiting.append(path) }
        gate.lock(whenValue: 1)
        gate.unlock()
        state.withLockedValue { $0.waiting.removeAll { $0 == path } }
    }

    override func willWrite(_ path: String) throws(FileSystemError) { pass(path, .write) }
    override func willSync(_ path: String) throws(FileSystemError) { pass(path, .sync) }
}
