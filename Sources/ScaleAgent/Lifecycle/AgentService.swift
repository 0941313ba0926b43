import Logging
import ServiceLifecycle

/// One long-running part of the agent in its `ServiceGroup`: `work` runs until the group's
/// graceful shutdown reaches this service (in reverse start order), then `stop` winds it
/// down, and only then does the group move on to the service started before it. Both are
/// named at every use (no trailing closure), so that neither can be mistaken for the other.
struct AgentService: Service, CustomStringConvertible {
    let name: String
    let work: @Sendable () async -> Void
    let stop: @Sendable () async -> Void

    init(_ name: String, work: @escaping @Sendable () async -> Void = AgentService.idle, stop: @escaping @Sendable () async -> Void = {}) {
        self.name = name
        self.work = work
        self.stop = stop
    }

    var description: String { name }

    func run() async throws {
        await cancelWhenGracefulShutdown { await work() }
        await stop()
    }

    /// For a service that only has something to do at shutdown.
    static let idle: @Sendable () async -> Void = {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
    }
}
