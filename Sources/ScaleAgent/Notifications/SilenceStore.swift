import AlertEngine
import Foundation
import Logging
import MetricStore
import Synchronization

/// The agent's silences: what `/api/v2/silences` changes and the notifier consults, saved in
/// the data directory after every change so that a restart keeps them.
///
/// The file, `<data_dir>/notifications/silences.json`, is one JSON document replaced whole
/// through `AtomicFile` (written beside, fsynced, renamed):
///
///     {"format":"scalewatch-silences","version":1,
///      "silences":[{"id":"0f1e…","matchers":[{"name":"alertname","value":"HostCPUSaturated",
///                    "isRegex":false,"isEqual":true}],
///                   "startsAt":1765040000000,"endsAt":1765043600000,"updatedAt":1765040000000,
///                   "createdBy":"ops","comment":"deploy"}]}
///
/// Times are Unix milliseconds. A reader refuses another format or version, and a matcher
/// whose regex does not compile, with the path and what it expected; the agent then sets the
/// file aside (`.corrupt`), says so, and starts without silences rather than not at all.
/// Expired silences stay for `Silences.retention` (as in Alertmanager), then go at the next change.
final class SilenceStore: Sendable {
    static let relativePath = "notifications/silences.json"
    static let format = "scalewatch-silences"
    static let version = 1

    private let file: AtomicFile
    private let silences = Locked(Silences())
    private let logger: Logger
    let now: @Sendable () -> Int64

    init(
        directory: String, logger: Logger, fileSystem: any FileSystem = PosixFileSystem(fileMode: 0o640, directoryMode: 0o750),
        now: @escaping @Sendable () -> Int64 = { UnixTime.nowMilliseconds() }
    ) {
        file = AtomicFile(path: directory + "/" + Self.relativePath, fileSystem: fileSystem)
        self.logger = logger
        self.now = now
    }

    var path: String { file.path }

    /// Loads the saved silences; a damaged file is set aside and reported.
    func open() {
        let path = path
        guard let loaded = file.loadSettingAsideDamage("silences", logger: logger, decode: { try Self.decode($0, path: path) }) else {
            return
        }
        silences.withLock { $0 = loaded }
    }

    var current: Silences { silences.withLock { $0 } }

    /// Creates or updates a silence (Alertmanager's rules) and saves; returns its id.
    func set(_ silence: Silence) throws -> String {
        let now = self.now()
        return try change { silences throws(Silences.Refusal) in
            try silences.set(silence, now: now, newID: UUID().uuidString.lowercased())
        }
    }

    func expire(id: String) throws {
        let now = self.now()
        try change { silences throws(Silences.Refusal) in try silences.expire(id: id, now: now) }
    }

    /// Applies the change and saves under the lock, so that the file's order of writes is the
    /// order of changes; a save that fails undoes the change and throws.
    private func change<Result>(_ body: (inout Silences) throws(Silences.Refusal) -> Result) throws -> Result {
        let now = self.now()
        return try silences.withLock { silences in
            var next = silences
            let result = try body(&next)
            next.collectGarbage(now: now)
            try file.write(Self.encode(next))
            silences = next
            return result
        }
    }

    // MARK: Coding

    private struct Document: Codable {
        var format: String
        var version: Int
        var silences: [Entry]
    }

    private struct Entry: Codable {
        var id: String
        var matchers: [MatcherEntry]
        var startsAt: Int64
        var endsAt: Int64
        var updatedAt: Int64
        var createdBy: String
        var comment: String
    }

    struct MatcherEntry: Codable {
        var name: String
        var value: String
        var isRegex: Bool
        var isEqual: Bool

        init(_ matcher: LabelMatcher) {
            name = matcher.name
            value = matcher.value
            isRegex = matcher.kind == .regex || matcher.kind == .notRegex
            isEqual = matcher.kind == .equal || matcher.kind == .regex
        }

        var kind: LabelMatcher.Kind {
            switch (isRegex, isEqual) {
            case (false, true): .equal
            case (false, false): .notEqual
            case (true, true): .regex
            case (true, false): .notRegex
            }
        }
    }

    struct CorruptSilences: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    static func encode(_ silences: Silences) -> [UInt8] {
        let document = Document(
            format: format, version: version,
            silences: silences.all.map { silence in
                Entry(
                    id: silence.id, matchers: silence.matchers.map(MatcherEntry.init), startsAt: silence.startsAt, endsAt: silence.endsAt,
                    updatedAt: silence.updatedAt, createdBy: silence.createdBy, comment: silence.comment)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Strings, integers and booleans always encode.
        return Array(try! encoder.encode(document))
    }

    static func decode(_ bytes: [UInt8], path: String) throws(CorruptSilences) -> Silences {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw CorruptSilences(path: path, reason: "expected the silences' JSON: \(error)")
        }
        guard document.format == format, document.version == version else {
            throw CorruptSilences(
                path: path, reason: "expected format \(format) version \(version), found \(document.format) version \(document.version)")
        }
        var loaded: [Silence] = []
        for entry in document.silences {
            var matchers: [LabelMatcher] = []
            for matcher in entry.matchers {
                do {
                    matchers.append(try LabelMatcher(matcher.name, matcher.kind, matcher.value))
                } catch {
                    throw CorruptSilences(path: path, reason: "silence \(entry.id): \(error)")
                }
            }
            loaded.append(
                Silence(
                    id: entry.id, matchers: matchers, startsAt: entry.startsAt, endsAt: entry.endsAt, updatedAt: entry.updatedAt,
                    createdBy: entry.createdBy, comment: entry.comment))
        }
        return Silences(loaded)
    }
}
