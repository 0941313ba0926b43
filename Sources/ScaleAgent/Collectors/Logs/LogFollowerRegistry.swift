import NIOConcurrencyHelpers

/// The running log followers, one per collector name, shared across config reloads: a reload
/// builds new collector instances, and a new instance with the same settings continues with the
/// running follower and its counters instead of starting over. With other settings, the old
/// follower is stopped and the new one starts where the old one's saved positions end.
///
/// The agent owns one and stops it, as a service, after the collections have stopped.
public final class LogFollowerRegistry: Sendable {
    private struct Entry {
        var configuration: String
        var follower: LogFollower
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    public init() {}

    /// The follower for `name` with these settings (`configuration` describes them), started on
    /// first use. `make` receives the follower it replaces, which it must let finish first.
    func lease(
        name: String, configuration: String, make: (_ predecessor: LogFollower?) -> LogFollower
    ) -> LogFollowerLease {
        let (follower, isNew) = entries.withLockedValue { entries -> (LogFollower, Bool) in
            if let entry = entries[name], entry.configuration == configuration, entry.follower.retain() {
                return (entry.follower, false)
            }
            let predecessor = entries[name]?.follower
            predecessor?.requestStop()
            let follower = make(predecessor)
            _ = follower.retain()
            entries[name] = Entry(configuration: configuration, follower: follower)
            return (follower, true)
        }
        if isNew { follower.start() }
        return LogFollowerLease(follower)
    }

    /// The notable events every running follower keeps (journal, PostgreSQL log files), oldest
    /// first; read without marking any counters exported, so the API's readers never move the
    /// positions a restart resumes from.
    func recentEvents() -> [NotableLogEvent] {
        let followers = entries.withLockedValue { $0.values.map(\.follower) }
        return followers.flatMap { $0.peekTally().recent.events }.sorted { $0.time < $1.time }
    }

    /// `stopAll(timeout:)` for async callers: the wait runs on a thread of its own, not on the
    /// concurrency pool.
    func stopAll(within timeout: Duration) async -> [String] {
        await withCheckedContinuation { continuation in
            do {
                try DetachedThread.start { continuation.resume(returning: self.stopAll(timeout: timeout)) }
            } catch {
                continuation.resume(returning: stopAll(timeout: timeout))
            }
        }
    }

    /// Stops every follower and waits (at most `timeout` in all) until each has saved the
    /// positions of what was last rendered, so that the next start resumes exactly there.
    /// Returns the names of followers that did not stop in time.
    @discardableResult
    func stopAll(timeout: Duration) -> [String] {
        let stopping = entries.withLockedValue { entries in
            defer { entries.removeAll() }
            return entries.mapValues(\.follower)
        }
        for follower in stopping.values { follower.requestStop() }
        let deadline = ContinuousClock.now + timeout
        return stopping.sorted(by: { $0.key < $1.key }).compactMap { name, follower in
            let left = max(.zero, deadline - ContinuousClock.now)
            return follower.waitUntilStopped(timeout: left) ? nil : name
        }
    }
}

/// A collector's hold on a follower; the follower winds down some time after the last lease
/// is gone (the collector was turned off or reconfigured).
final class LogFollowerLease: Sendable {
    let follower: LogFollower

    init(_ follower: LogFollower) { self.follower = follower }

    deinit { follower.release() }
}

/// A collector's lease, taken on its first collection: collectors are built for every config
/// (enabled or not), and only those that run should start a thread.
final class LazyLogFollower: Sendable {
    private let lease = NIOLockedValueBox<LogFollowerLease?>(nil)

    init() {}

    func get(_ make: () -> LogFollowerLease) -> LogFollower {
        lease.withLockedValue { lease in
            if let lease { return lease.follower }
            let made = make()
            lease = made
            return made.follower
        }
    }
}
