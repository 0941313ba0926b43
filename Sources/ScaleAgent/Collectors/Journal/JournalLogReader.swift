#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a journal through sd-journal, resuming from a cursor.
///
/// Resume protocol: seek to the saved cursor (the head if libsystemd refuses it), step onto it
/// with `next()`; if that is not the cursor's entry (vacuumed away), step back once so that the
/// entry after it is read next — or, when that entry is the journal's first and there is no
/// stepping back, seek to the head. A first run seeks to the tail and starts after the last entry
/// (an empty journal is saved as `head`: everything that arrives later is new).
final class JournalLogReader: LogReader {
    let source: SDJournal.Source
    let key: String
    private var journal: SDJournal?
    private var position: String?
    private var descriptorValue: Int32?

    static let headPosition = "head"

    private static let message = SDJournal.FieldName("MESSAGE")
    private static let priority = SDJournal.FieldName("PRIORITY")
    private static let unit = SDJournal.FieldName("_SYSTEMD_UNIT")

    init(source: SDJournal.Source, key: String) {
        self.source = source
        self.key = key
    }

    var description: String { "journal (\(source))" }

    func start(from saved: [String: String]) throws {
        let journal = try SDJournal(source)
        switch source {
        case .local, .osRoot:
            // Journal files exist (that is why this source was chosen): none readable means
            // the agent's user lacks the group, and every OOM kill would go unseen.
            if journal.usage() == 0 { throw JournalError(source: source.description, call: "open", errno: EACCES) }
        case .directory, .files:
            break
        }
        self.journal = journal
        descriptorValue = nil
        if let cursor = saved[key] {
            if cursor == Self.headPosition {
                try journal.seekHead()
            } else {
                do {
                    try journal.seek(cursor: cursor)
                } catch {
                    try journal.seekHead()
                }
                // Not the cursor's entry: step back so that it is read next; at the journal's
                // first entry there is nothing to step back to, so start over at the head.
                if try journal.next(), !journal.isAt(cursor: cursor), !(try journal.previous()) {
                    try journal.seekHead()
                }
            }
            position = cursor
        } else {
            try journal.seekTail()
            if try journal.previous() {
                position = try journal.cursor()
            } else {
                position = Self.headPosition
            }
        }
    }

    func read(limit: Int, into tally: inout LogTally) throws -> Int {
        guard let journal else { return 0 }
        var count = 0
        while count < limit, try journal.next() {
            let message = journal.field(Self.message) ?? ""
            let priority = journal.withField(Self.priority) { bytes -> Int? in
                bytes.count == 1 && bytes[0] >= UInt8(ascii: "0") && bytes[0] <= UInt8(ascii: "7")
                    ? Int(bytes[0] - UInt8(ascii: "0")) : nil
            } ?? nil
            let unit = journal.field(Self.unit)
            let time = Double(journal.realtimeMicroseconds() ?? 0) / 1e6
            tally.record(LogRecord(message: message, priority: priority, unit: unit, time: time, origin: .journal)) {
                journal.field($0)
            }
            count += 1
        }
        if count > 0 { position = try journal.cursor() }
        return count
    }

    func positions() -> [String: String] {
        position.map { [key: $0] } ?? [:]
    }

    func waitDescriptor() -> Int32? {
        if descriptorValue == nil { descriptorValue = try? journal?.descriptor() }
        return descriptorValue
    }

    func acknowledgeWakeup() { journal?.process() }

    func close() {
        journal = nil
        descriptorValue = nil
    }
}
