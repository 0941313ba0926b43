/// A source of log records that a `LogFollower` drives from its own thread: the journal,
/// /dev/kmsg, or a set of log files. Not thread-safe: one thread calls everything.
protocol LogReader: AnyObject {
    /// What is read, for errors and logs.
    var description: String { get }

    /// Opens the source and positions it just after `saved` (positions this reader returned
    /// before, by key); for a key it has no saved position for, at the end (a first run).
    func start(from saved: [String: String]) throws

    /// Reads up to `limit` records into `tally`; returns how many: 0 when caught up. When it
    /// throws, `positions()` must still cover every record it counted.
    func read(limit: Int, into tally: inout LogTally) throws -> Int

    /// Where the reader stands after the records it handed over, by key.
    func positions() -> [String: String]

    /// A descriptor that becomes readable when more may be available; nil to be polled.
    func waitDescriptor() -> Int32?

    /// Called after a wait on `waitDescriptor()` ended.
    func acknowledgeWakeup()

    func close()
}
