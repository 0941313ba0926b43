import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOPosix

/// Decides basic authentication the way the toolkit does, without a bcrypt per request: a
/// scraper that sends the same user and password every second pays for one bcrypt, then its
/// answers come from memory, keyed by (user, hash) so that a changed hash in the file is
/// verified afresh.
///
/// - bcrypt runs on a thread of its own, one at a time (it is built to be slow; two dozen
///   clients with wrong passwords must not occupy every core), never on an event loop or the
///   concurrency pool.
/// - A user the file does not name is checked against a fixed hash of the same cost as
///   htpasswd's default, so that the time taken does not tell which user names exist.
/// - A remembered good password is compared in constant time; remembered refusals are kept
///   in a small table with random eviction, as the toolkit's cache.
public final class BasicAuthVerifier: Sendable {
    public enum Decision: Equatable, Sendable {
        case admitted
        case refused(AuthFailureReason)
    }

    /// bcrypt("fakepassword", cost 10): what a request naming an unknown user is checked against.
    static let decoyHash = BcryptHash(
        text: "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi", cost: 10,
        verifiable: "$2b$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi")
    /// As the toolkit's cache: enough for a handful of users and their scrapers.
    static let capacity = 100

    private struct Known: Hashable {
        let user: String
        let hash: String
    }
    private struct Remembered {
        var admitted: [Known: [UInt8]] = [:]
        var refused: Set<[UInt8]> = []
    }
    private let remembered = NIOLockedValueBox(Remembered())
    private let bcryptRuns = NIOLockedValueBox(0)
    private let thread: NIOThreadPool

    public init() {
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
    }

    /// Stops the bcrypt thread; requests that still need it are refused.
    public func shutdown() async {
        try? await thread.shutdownGracefully()
    }

    /// `users` is the file's table; `password` the request's, as bytes (a password need not be
    /// valid UTF-8).
    public func verify(user: String, password: [UInt8], users: [String: BcryptHash]) async -> Decision {
        let known = users[user]
        let hash = known ?? Self.decoyHash
        let key = Known(user: user, hash: hash.text)
        let refusalKey = Array(user.utf8) + [0] + Array(hash.text.utf8) + [0] + password
        let cached: Bool? = remembered.withLockedValue { remembered in
            if let good = remembered.admitted[key], Self.constantTimeEqual(good, password) { return true }
            return remembered.refused.contains(refusalKey) ? false : nil
        }
        let matches: Bool
        if let cached {
            matches = cached
        } else {
            matches = await bcrypt(password, hash)
            remembered.withLockedValue { remembered in
                if matches && known != nil {
                    if remembered.admitted.count >= Self.capacity { remembered.admitted.removeAll() }
                    remembered.admitted[key] = password
                } else {
                    if remembered.refused.count >= Self.capacity { Self.evictTenth(&remembered.refused) }
                    remembered.refused.insert(refusalKey)
                }
            }
        }
        guard known != nil else { return .refused(.unknownUser) }
        return matches ? .admitted : .refused(.wrongPassword)
    }

    /// How many refusals are remembered (at most `capacity`).
    var rememberedRefusals: Int { remembered.withLockedValue { $0.refused.count } }

    /// How many bcrypt computations the verifier ran: what the cache saves shows here.
    var bcryptCount: Int { bcryptRuns.withLockedValue { $0 } }

    private func bcrypt(_ password: [UInt8], _ hash: BcryptHash) async -> Bool {
        // The C function reads a NUL-terminated string: a password with a NUL in it would be
        // cut there, so it can never match.
        guard !password.contains(0) else { return false }
        let text = String(decoding: password, as: UTF8.self)
        guard Array(text.utf8) == password else { return false }
        bcryptRuns.withLockedValue { $0 += 1 }
        do {
            return try await thread.runIfActive { Bcrypt.verify(text, hash: hash.verifiable) }
        } catch {
            // The thread is stopping with the server: refuse.
            return false
        }
    }

    /// Compares every byte whatever the first difference, so that the time taken says nothing
    /// about how much of a guess was right.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        guard !b.isEmpty else { return a.isEmpty }
        for index in a.indices {
            difference |= a[index] ^ b[index % b.count]
        }
        return difference == 0
    }

    private static func evictTenth(_ set: inout Set<[UInt8]>) {
        for _ in 0...(set.count / 10) {
            guard let victim = set.randomElement() else { return }
            set.remove(victim)
        }
    }
}
