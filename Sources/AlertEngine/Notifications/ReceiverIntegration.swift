/// What routing needs to know of one `webhook_configs` entry of a receiver: the decisions
/// differ per integration (a resolved notification goes only where `send_resolved` is on).
public struct ReceiverIntegration: Sendable, Equatable {
    /// The entry's position in the receiver's `webhook_configs`.
    public var index: Int
    public var sendResolved: Bool
    /// At most this many alerts per message, 0 for all (the rest are counted in `truncatedAlerts`).
    public var maxAlerts: Int

    public init(index: Int, sendResolved: Bool = true, maxAlerts: Int = 0) {
        self.index = index
        self.sendResolved = sendResolved
        self.maxAlerts = maxAlerts
    }
}
