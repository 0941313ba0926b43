/// What collectors keep across config reloads, and what the agent must stop at shutdown:
/// the log followers' threads and the PostgreSQL connections. The agent owns them and hands
/// them to the catalog; nothing is process-global.
public struct CollectorResources: Sendable {
    public let logFollowers: LogFollowerRegistry
    public let postgresMonitors: PostgresMonitors

    public init(logFollowers: LogFollowerRegistry = LogFollowerRegistry(), postgresMonitors: PostgresMonitors = PostgresMonitors()) {
        self.logFollowers = logFollowers
        self.postgresMonitors = postgresMonitors
    }
}
