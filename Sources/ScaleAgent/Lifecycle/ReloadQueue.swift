import NIOConcurrencyHelpers

/// Runs reloads one at a time, in the order asked: SIGHUP and `/-/reload` may ask at once, and
/// each reload reads and swaps the state the next one starts from.
final class ReloadQueue: Sendable {
    typealias Outcome = Result<Void, any Error>
    private let last = NIOLockedValueBox<Task<Outcome, Never>?>(nil)

    func run(_ reload: @escaping @Sendable () async -> Outcome) async -> Outcome {
        let task = last.withLockedValue { last in
            let previous = last
            let task = Task {
                _ = await previous?.value
                return await reload()
            }
            last = task
            return task
        }
        return await task.value
    }
}
