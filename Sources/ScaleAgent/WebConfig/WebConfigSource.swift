#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import NIOConcurrencyHelpers

/// The web config in force, kept equal to the file on disk without a restart: at most once a
/// second, a request or a new connection looks at the file's and its certificate files'
/// identity (device, inode, size, modification time — a few `stat`s), and when any changed
/// the file is read again. A new file that is refused leaves the old one in force, logged and
/// counted; the same refused state is not retried until something changes again. Renewing a
/// certificate, adding a user or turning TLS on takes effect for the next connection or
/// request. (The toolkit reads the file on every request; this reads it on every change.)
public final class WebConfigSource: Sendable {
    private let counters: WebSecurityCounters
    private let logger: Logger
    private let clock = ContinuousClock()

    private struct State {
        /// Nil: no web config file; `current` is `WebConfig.none`.
        var file: String?
        var config: WebConfig
        /// What the files looked like when last read, successfully or not.
        var seen: [FileIdentity?]
        var nextCheck: ContinuousClock.Instant
    }
    private let state: NIOLockedValueBox<State>

    static let checkInterval: Duration = .seconds(1)

    /// `config` is the file as already loaded (at start, a file that does not load stops the
    /// agent; only later changes fall back to the old one).
    public init(file: String?, config: WebConfig, counters: WebSecurityCounters, logger: Logger) {
        self.counters = counters
        self.logger = logger
        state = NIOLockedValueBox(State(file: nil, config: .none, seen: [], nextCheck: clock.now))
        replace(file: file, config: config)
    }

    /// A reload's file (perhaps another one), loaded by the reload, which failed if it did not
    /// load: from now on it is the one in force and the one watched. Without a file, `config`
    /// stays in force as given (`.none` from the agent; a test's config without a file).
    public func replace(file: String?, config: WebConfig) {
        let seen = file.map { Self.identities([$0] + config.files) } ?? []
        let next = clock.now + Self.checkInterval
        state.withLockedValue { $0 = State(file: file, config: config, seen: seen, nextCheck: next) }
        counters.recordReload(success: true)
    }

    /// The config in force, re-read first if the files changed since the last look.
    public var current: WebConfig {
        let now = clock.now
        return state.withLockedValue { state in
            guard let file = state.file, now >= state.nextCheck else { return state.config }
            state.nextCheck = now + Self.checkInterval
            let paths = [file] + state.config.files
            let identities = Self.identities(paths)
            guard identities != state.seen else { return state.config }
            state.seen = identities
            do {
                let config = try WebConfigLoader.load(file: file)
                state.config = config
                // The new file may name other certificate files: watch those from now on.
                state.seen = Self.identities([file] + config.files)
                counters.recordReload(success: true)
                logger.info("web config file re-read", metadata: ["file": "\(file)", "tls": "\(config.tls != nil)", "users": "\(config.users.count)"])
            } catch {
                counters.recordReload(success: false)
                logger.error("web config file refused; keeping the one in force", metadata: ["error": "\(error)"])
            }
            return state.config
        }
    }

    static func identities(_ paths: [String]) -> [FileIdentity?] {
        paths.map { FileIdentity(path: $0) }
    }
}
