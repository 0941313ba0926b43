/// A decoded WAL record, as replay hands it to the store.
public enum WALRecord: Hashable, Sendable {
    case series([WALSeries])
    case samples([WALSample])
    /// A record of a type this version does not know (written by a newer one): skipped by
    /// replay's caller, copied unchanged into checkpoints so that nothing is lost by a
    /// downgrade.
    case unknown(type: UInt8, payload: [UInt8])
}
