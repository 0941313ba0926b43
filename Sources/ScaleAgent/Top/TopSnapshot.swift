/// The numbers `scalewatch top` shows, one refresh's worth: each stage's signature as the
/// agent last saw it. nil where the agent has no such series (no Postgres on this host, no
/// pressure stall information on this kernel); the screen shows `-` there.
public struct TopSnapshot: Sendable, Equatable {
    /// A service or process and its number (bytes of memory).
    public struct Ranked: Sendable, Equatable {
        public var name: String
        public var value: Double

        public init(_ name: String, _ value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// Share of CPU time not idle over the last minute, 0…1 (stage 3).
    public var cpuBusy: Double?
    /// Share of time some task waited for a CPU over the last minute, 0…1 (PSI, stage 3).
    public var cpuWaiting: Double?
    public var load1: Double?
    public var cpuCount: Double?
    /// Bytes (stage 1).
    public var memoryAvailable: Double?
    public var memoryTotal: Double?
    /// OOM kills in the last hour (stage 1).
    public var oomKills: Double?
    /// Largest services by memory and largest processes by resident memory (stage 2).
    public var services: [Ranked] = []
    public var processes: [Ranked] = []
    /// Postgres connections in use and allowed (stage 4).
    public var connections: Double?
    public var maxConnections: Double?
    /// Backends waiting for a lock (stage 6).
    public var lockWaits: Double?
    /// Seconds a replica is behind (stage 7).
    public var replicationLag: Double?
    /// Names of firing alerts, sorted.
    public var firing: [String] = []
    /// Why the agent gave nothing this time, shown instead of stale numbers being taken as news.
    public var problem: String?

    public init() {}
}
