import AlertEngine
import Foundation
import MetricStore

/// The snapshot of the notifier's durable state in the data directory: the notification log
/// (what each receiver was told about each group) and the outbox (notifications decided and
/// not yet delivered). `NotificationOutbox` writes it whole when it compacts (and at a clean
/// stop); the saves in between go to the journal beside it (`NotificationJournal`). Together
/// they make a crash at any point leave either the state before a step or after it: a
/// notification decided before a crash is delivered after the restart, and one whose delivery
/// was recorded is not decided again.
///
/// One JSON document, replaced whole through `AtomicFile` (so the power-loss tests cover it):
///
///     {"format":"scalewatch-notifications","version":1,
///      "log":[{"key":"ops/webhook/0:{}:{alertname=\"X\"}",
///              "firing":["c1d2e3f4a5b6c7d8"],"resolved":[],"sentAt":1765040000000}],
///      "queue":[{"id":"9f…","receiver":"ops","integration":0,"groupKey":"{}:{alertname=\"X\"}",
///                "decidedAt":1765040000000,"attempts":2,"nextAttemptAt":1765040004000,
///                "body":"{…the webhook payload…}",
///                "alerts":[{"labels":{"alertname":"X"},"resolved":false}]}]}
///
/// Times are Unix milliseconds, fingerprints 16 hex digits. A reader refuses another format
/// or version, and any entry that does not parse, with the path and what it expected; the
/// agent then starts with an empty state (and says so) rather than not at all.
struct NotificationStateFile: Sendable {
    /// Beside the store's entries, under the data directory.
    static let relativePath = "notifications/state.json"
    static let format = "scalewatch-notifications"
    static let version = 1

    let file: AtomicFile

    init(directory: String, fileSystem: any FileSystem = PosixFileSystem(fileMode: 0o640, directoryMode: 0o750)) {
        file = AtomicFile(path: directory + "/" + Self.relativePath, fileSystem: fileSystem)
    }

    var path: String { file.path }

    struct CorruptState: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    /// The saved state; empty on a first run.
    func load() throws -> (log: NotificationLog, queue: [QueuedNotification]) {
        guard let bytes = try file.read() else { return (NotificationLog(), []) }
        return try Self.decode(bytes, path: path)
    }

    func save(log: NotificationLog, queue: [QueuedNotification]) throws(FileSystemError) {
        try file.write(Self.encode(log: log, queue: queue))
    }

    // MARK: Coding

    private struct Document: Codable {
        var format: String
        var version: Int
        var log: [LogEntry]
        var queue: [Item]
    }

    /// One notification log entry as both this file and the journal write it.
    struct LogEntry: Codable, Equatable {
        var key: String
        var firing: [String]
        var resolved: [String]
        var sentAt: Int64

        init(key: String, _ entry: NotificationLog.Entry) {
            self.key = key
            firing = entry.firing.sorted().map(\.description)
            resolved = entry.resolved.sorted().map(\.description)
            self.sentAt = entry.sentAt
        }

        func entry(path: String) throws(CorruptState) -> NotificationLog.Entry {
            func fingerprints(_ texts: [String]) throws(CorruptState) -> Set<AlertFingerprint> {
                var set: Set<AlertFingerprint> = []
                for text in texts {
                    guard let fingerprint = AlertFingerprint(hex: text) else {
                        throw CorruptState(path: path, reason: "log entry \(key): expected 16 hex digits, found '\(text)'")
                    }
                    set.insert(fingerprint)
                }
                return set
            }
            return NotificationLog.Entry(firing: try fingerprints(firing), resolved: try fingerprints(resolved), sentAt: sentAt)
        }
    }

    /// One queued notification as both this file and the journal write it.
    struct Item: Codable, Equatable {
        var id: String
        var receiver: String
        var integration: Int
        var groupKey: String
        var decidedAt: Int64
        var attempts: Int
        var nextAttemptAt: Int64
        var body: String
        var alerts: [AlertEntry]

        init(_ item: QueuedNotification) {
            id = item.id
            receiver = item.notification.receiver
            integration = item.notification.integration
            groupKey = item.notification.groupKey
            decidedAt = item.notification.decidedAt
            attempts = item.attempts
            nextAttemptAt = item.nextAttemptAt
            body = item.notification.body
            alerts = item.notification.alerts.map { alert in
                AlertEntry(
                    labels: Dictionary(alert.labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                    resolved: alert.resolved)
            }
        }

        var queued: QueuedNotification {
            QueuedNotification(
                notification: Notification(
                    receiver: receiver, integration: integration, groupKey: groupKey, decidedAt: decidedAt, body: body,
                    alerts: alerts.map { (Labels($0.labels.map { Label($0.key, $0.value) }), $0.resolved) }),
                id: id, attempts: attempts, nextAttemptAt: nextAttemptAt)
        }
    }

    struct AlertEntry: Codable, Equatable {
        var labels: [String: String]
        var resolved: Bool
    }

    static func encode(log: NotificationLog, queue: [QueuedNotification]) -> [UInt8] {
        let document = Document(
            format: format, version: version,
            log: log.entries.sorted { $0.key < $1.key }.map { LogEntry(key: $0.key, $0.value) },
            queue: queue.map(Item.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings, integers and arrays cannot fail.
        return Array(try! encoder.encode(document))
    }

    static func decode(_ bytes: [UInt8], path: String) throws(CorruptState) -> (log: NotificationLog, queue: [QueuedNotification]) {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw CorruptState(path: path, reason: "expected the notifier's JSON state: \(error)")
        }
        guard document.format == format, document.version == version else {
            throw CorruptState(
                path: path, reason: "expected format \(format) version \(version), found \(document.format) version \(document.version)")
        }
        var log = NotificationLog()
        for entry in document.log {
            log.entries[entry.key] = try entry.entry(path: path)
        }
        return (log, document.queue.map(\.queued))
    }
}
