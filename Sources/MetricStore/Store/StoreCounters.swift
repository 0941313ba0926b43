/// Running totals the agent exports as `scalewatch_store_*` metrics.
public struct StoreCounters: Sendable, Equatable {
    public var appendedSamples = 0
    public var outOfOrderSamples = 0
    public var duplicateSamples = 0
    /// Samples older than the newest block: too late to be stored.
    public var tooOldSamples = 0
    public var walWriteErrors = 0
    /// Samples in the head that the WAL has not taken yet (a full disk): lost if the agent
    /// stops before it does. A gauge, not a total.
    public var samplesNotDurable = 0
    /// Samples given up on because too many waited for the WAL.
    public var samplesDroppedFromWAL = 0
    /// Damaged WAL records and blocks found (and moved aside) since the store opened.
    public var corruptions = 0
    public var replayedSamples = 0
    public var blocksWritten = 0

    public init() {}
}
