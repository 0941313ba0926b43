import AlertEngine
import Foundation
import MetricStore

/// The notifier's saves since its last snapshot (`notifications/state.json`, written by
/// `NotificationStateFile`): one line per save, appended and fsynced, so that a save costs what
/// changed, not the whole backlog. `NotificationOutbox` writes and replays it.
///
/// Format of `notifications/state.journal` (text, UTF-8, `\n` line ends):
///
///     scalewatch-notifications-journal 1\n      header: magic, one space, version
///     <crc> <batch>\n                           one line per save, in save order
///     …
///
///     crc    8 lowercase hex digits: the CRC-32C of the batch's bytes (those after the space,
///            before the newline)
///     batch  a JSON object with sorted keys and no newline in it (JSON escapes them); every
///            key may be absent when its list is empty:
///              {"attempts":[{"attempts":3,"id":"<id>","nextAttemptAt":1765040004000}],
///               "done":["<id>"],
///               "log":[<a notification log entry, as in state.json>],
///               "queue":[<a queued notification, as in state.json>],
///               "unlog":["<log key>"]}
///            applied in this order: `done` leave the outbox; `queue` join it at the end (one
///            already there takes the new retry state); `attempts` set an entry's retry
///            state; `log` entries are set; `unlog` keys are removed. Times are Unix
///            milliseconds.
///
/// Validity: the file starts with the header; an empty file, or one holding only a prefix of
/// the header, is an empty journal (a crash while it was being restarted). Lines are applied
/// whole or not at all: the first line without its newline, or whose checksum or JSON does not
/// match, is the torn write of a save a crash interrupted, and it and everything after it are
/// discarded (reported; the next save rewrites the snapshot and restarts the journal rather
/// than append after them). A file with another header is refused with its path.
///
/// Every batch sets absolute values, so replaying a journal over the snapshot made from it (a
/// crash after a compaction renamed its snapshot, before it restarted the journal) changes
/// nothing.
///
/// Rejected: rewriting state.json whole at every save, as the notifier did first. At the
/// backlog a 10-minute receiver outage builds (about 1,200 notifications, 1.2 MB and more) a
/// save took about 50 ms of JSON encoding and 11 ms of I/O (debug build), twice a second:
/// about 12% of a core, growing with the backlog.
enum NotificationJournal {
    static let relativePath = "notifications/state.journal"
    static let header: [UInt8] = Array("scalewatch-notifications-journal 1\n".utf8)

    struct Attempt: Codable, Equatable {
        var id: String
        var attempts: Int
        var nextAttemptAt: Int64
    }

    /// One save's changes.
    struct Batch: Codable, Equatable {
        var attempts: [Attempt] = []
        var done: [String] = []
        var log: [NotificationStateFile.LogEntry] = []
        var queue: [NotificationStateFile.Item] = []
        var unlog: [String] = []

        enum CodingKeys: String, CodingKey {
            case attempts, done, log, queue, unlog
        }

        var isEmpty: Bool { attempts.isEmpty && done.isEmpty && log.isEmpty && queue.isEmpty && unlog.isEmpty }

        init(
            attempts: [Attempt] = [], done: [String] = [], log: [NotificationStateFile.LogEntry] = [],
            queue: [NotificationStateFile.Item] = [], unlog: [String] = []
        ) {
            self.attempts = attempts
            self.done = done
            self.log = log
            self.queue = queue
            self.unlog = unlog
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            attempts = try container.decodeIfPresent([Attempt].self, forKey: .attempts) ?? []
            done = try container.decodeIfPresent([String].self, forKey: .done) ?? []
            log = try container.decodeIfPresent([NotificationStateFile.LogEntry].self, forKey: .log) ?? []
            queue = try container.decodeIfPresent([NotificationStateFile.Item].self, forKey: .queue) ?? []
            unlog = try container.decodeIfPresent([String].self, forKey: .unlog) ?? []
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if !attempts.isEmpty { try container.encode(attempts, forKey: .attempts) }
            if !done.isEmpty { try container.encode(done, forKey: .done) }
            if !log.isEmpty { try container.encode(log, forKey: .log) }
            if !queue.isEmpty { try container.encode(queue, forKey: .queue) }
            if !unlog.isEmpty { try container.encode(unlog, forKey: .unlog) }
        }
    }

    /// The line a batch is appended as, newline included.
    static func line(_ batch: Batch) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, integers and arrays cannot fail.
        let json = Array(try! encoder.encode(batch))
        return Array(hex(CRC32C.checksum(json)).utf8) + [UInt8(ascii: " ")] + json + [UInt8(ascii: "\n")]
    }

    /// What a journal file holds: its whole batches, how many of its bytes they and the
    /// header take, and how many bytes after them were discarded as a torn write.
    struct Contents: Equatable {
        var batches: [Batch] = []
        var validLength = 0
        var discardedBytes = 0
        /// The header is complete (else the journal must be restarted before an append).
        var hasHeader = false
    }

    static func parse(_ bytes: [UInt8], path: String) throws(NotificationStateFile.CorruptState) -> Contents {
        guard bytes.count >= header.count else {
            guard bytes == Array(header.prefix(bytes.count)) else {
                throw NotificationStateFile.CorruptState(path: path, reason: "expected the header 'scalewatch-notifications-journal 1'")
            }
            return Contents(discardedBytes: bytes.count)
        }
        guard Array(bytes[0..<header.count]) == header else {
            throw NotificationStateFile.CorruptState(path: path, reason: "expected the header 'scalewatch-notifications-journal 1'")
        }
        var contents = Contents(validLength: header.count, hasHeader: true)
        var start = header.count
        let decoder = JSONDecoder()
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")),
                let batch = decodeLine(bytes[start..<end], decoder: decoder)
            else { break }
            contents.batches.append(batch)
            start = end + 1
            contents.validLength = start
        }
        contents.discardedBytes = bytes.count - contents.validLength
        return contents
    }

    /// nil for anything but `<crc> <json>` whose checksum and JSON match.
    private static func decodeLine(_ line: ArraySlice<UInt8>, decoder: JSONDecoder) -> Batch? {
        guard line.count > 9, line[line.startIndex + 8] == UInt8(ascii: " "),
            let crc = UInt32(String(decoding: line.prefix(8), as: UTF8.self), radix: 16)
        else { return nil }
        let json = line.dropFirst(9)
        guard CRC32C.checksum(json) == crc else { return nil }
        return try? decoder.decode(Batch.self, from: Data(json))
    }

    /// Applies a batch to a replayed state (see the format above for the order).
    static func apply(_ batch: Batch, to state: inout ReplayedState, path: String) throws(NotificationStateFile.CorruptState) {
        for id in batch.done { state.items[id] = nil }
        for item in batch.queue {
            if state.items[item.id] == nil { state.order.append(item.id) }
            state.items[item.id] = item.queued
        }
        for attempt in batch.attempts {
            state.items[attempt.id]?.attempts = attempt.attempts
            state.items[attempt.id]?.nextAttemptAt = attempt.nextAttemptAt
        }
        for entry in batch.log { state.log.entries[entry.key] = try entry.entry(path: path) }
        for key in batch.unlog { state.log.entries[key] = nil }
    }

    /// The state while batches are applied: the outbox as an ordered map.
    struct ReplayedState {
        var log: NotificationLog
        var order: [String]
        var items: [String: QueuedNotification]

        init(log: NotificationLog, queue: [QueuedNotification]) {
            self.log = log
            order = queue.map(\.id)
            items = Dictionary(queue.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }

        /// In outbox order, each notification once.
        var queue: [QueuedNotification] {
            var seen: Set<String> = []
            return order.compactMap { id in seen.insert(id).inserted ? items[id] : nil }
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
