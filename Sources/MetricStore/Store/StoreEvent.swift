/// Things the store reports for its owner to log: the store has no logger of its own, so it
/// stays free of dependencies and its owner decides how events are shown.
public enum StoreEvent: Sendable, CustomStringConvertible {
    case walReplayed(records: Int, notes: [String])
    case walCorruption(String)
    case blockQuarantined(block: String, reason: String)
    case incompleteBlockRemoved(String)
    case blockWritten(BlockMeta)
    case walWriteFailed(String)
    /// The WAL takes writes again; `samples` waited in memory meanwhile and are logged now.
    case walRecovered(samples: Int)
    case blockDeleted(BlockMeta)

    public var description: String {
        switch self {
        case .walReplayed(let records, let notes):
            "replayed \(records) WAL records" + (notes.isEmpty ? "" : ": " + notes.joined(separator: "; "))
        case .walCorruption(let message): "WAL corruption: \(message)"
        case .blockQuarantined(let block, let reason): "block \(block) quarantined: \(reason)"
        case .incompleteBlockRemoved(let name): "removed incomplete block \(name)"
        case .blockWritten(let meta):
            "wrote block \(meta.id) [\(meta.minTime), \(meta.maxTime)): \(meta.stats.series) series, \(meta.stats.samples) samples"
        case .walWriteFailed(let message):
            "WAL write failed; samples are kept in memory and logged when writes succeed again: \(message)"
        case .walRecovered(let samples): "WAL writes resumed; \(samples) samples kept in memory meanwhile are logged"
        case .blockDeleted(let meta): "retention deleted block \(meta.id) [\(meta.minTime), \(meta.maxTime))"
        }
    }
}
