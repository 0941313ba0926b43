import NIOPosix
import Synchronization

/// Where CPU-heavy reads of the store run: rule evaluation and (next) API queries. It has
/// threads of its own, so a slow query never occupies the Swift concurrency pool (which
/// collects and answers `/metrics`) nor the store's writer. The store's methods block, which
/// its own comment forbids on the concurrency pool; here they may.
///
/// Bounded work waits in a queue of at most `maxQueued` beyond the busy threads and is
/// refused past that, so a flood of queries costs the caller a quick error instead of
/// everybody memory and latency. The agent's own work (rule groups, a fixed number) is not
/// refused.
public final class ReaderPool: Sendable {
    public let threads: Int
    public let maxQueued: Int
    private let pool: NIOThreadPool
    /// Bounded jobs running or waiting.
    private let admitted = Atomic<Int>(0)

    public init(threads: Int, maxQueued: Int) {
        precondition(threads > 0 && maxQueued >= 0, "BUG: reader pool of \(threads) threads, queue \(maxQueued)")
        self.threads = threads
        self.maxQueued = maxQueued
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    /// Runs `body` on one of the pool's threads. Bounded work is refused with
    /// `ReaderPoolOverloaded` when the threads are busy and the queue is full.
    public func run<Result: Sendable>(
        bounded: Bool = true, _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        if bounded {
            guard admitted.add(1, ordering: .relaxed).newValue <= threads + maxQueued else {
                admitted.subtract(1, ordering: .relaxed)
                throw ReaderPoolOverloaded(threads: threads, maxQueued: maxQueued)
            }
        }
        defer { if bounded { admitted.subtract(1, ordering: .relaxed) } }
        return try await pool.runIfActive(body)
    }

    /// Bounded jobs running or waiting now.
    public var load: Int { admitted.load(ordering: .relaxed) }

    /// Waits for the jobs already submitted; later ones are cancelled.
    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}

public struct ReaderPoolOverloaded: Error, CustomStringConvertible {
    public let threads: Int
    public let maxQueued: Int
    public var description: String { "too many concurrent queries: \(threads) running and \(maxQueued) waiting" }
}
