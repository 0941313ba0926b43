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
        // The cursor of the last entry counted, also when `next()` fails after some.
        defer {
            if count > 0, let cursor = try? journal.cursor() { position = cursor }
        }
        while count < limit, try journal.next() {
            var message = ""
            var priority: Int?
            var unit: String?
            var messageID: String?
            journal.forEachField { field in
                if let value = Self.value(of: "MESSAGE=", in: field) {
                    message = String(decoding: value, as: UTF8.self)
                } else if let value = Self.value(of: "PRIORITY=", in: field) {
                    if value.count == 1, value[0] >= UInt8(ascii: "0"), value[0] <= UInt8(ascii: "7") {
                        priority = Int(value[0] - UInt8(ascii: "0"))
                    }
                } else if let value = Self.value(of: "_SYSTEMD_UNIT=", in: field) {
                    unit = String(decoding: value, as: UTF8.self)
                } else if let value = Self.value(of: "MESSAGE_ID=", in: field) {
                    messageID = String(decoding: value, as: UTF8.self)
                }
            }
            let time = Double(journal.realtimeMicroseconds() ?? 0) / 1e6
            tally.record(LogRecord(message: message, priority: priority, unit: unit, time: time, origin: .journal, messageID: messageID)) {
                journal.field($0)
            }
            count += 1
        }
        return count
    }

    /// The value when `field` is `NAME=value` for this `NAME=`.
    private static func value(of name: StaticString, in field: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let length = name.utf8CodeUnitCount
        guard field.count >= length, memcmp(field.baseAddress!, name.utf8Start, length) == 0 else { return nil }
        return UnsafeRawBufferPointer(rebasing: field[length...])
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
