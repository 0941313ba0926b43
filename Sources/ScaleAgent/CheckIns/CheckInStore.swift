import Foundation
import Logging
import MetricStore

/// The check-in jobs' records, saved in the data directory after every check-in so that a
/// restart keeps the last success (and with it the deadline).
///
/// The file, `<data_dir>/checkins/state.json`, is one JSON document replaced whole through
/// `AtomicFile` (written beside, fsynced, renamed):
///
///     {"format":"scalewatch-checkins","version":1,
///      "jobs":{"backup":{"since":1765040000,"lastStart":1765077000.5,"lastSuccess":1765077060.1,
///                        "lastDuration":59.6,"starts":3,"successes":3,"failures":0}}}
///
/// Times are Unix seconds. A reader refuses another format or version with the path; the agent
/// then sets the file aside (`.corrupt`), says so, and starts without records, so that every
/// job's first deadline counts from then. Records of jobs no longer configured are kept (a job
/// removed by mistake and put back keeps its history) but not exported.
final class CheckInStore: Sendable {
    static let relativePath = "checkins/state.json"
    static let format = "scalewatch-checkins"
    static let version = 1

    private let file: AtomicFile
    private let records = Locked<[String: CheckInRecord]>([:])
    private let logger: Logger
    let now: @Sendable () -> Double

    init(
        directory: String, logger: Logger, fileSystem: any FileSystem = PosixFileSystem(fileMode: 0o640, directoryMode: 0o750),
        now: @escaping @Sendable () -> Double = { UnixTime.nowSeconds() }
    ) {
        file = AtomicFile(path: directory + "/" + Self.relativePath, fileSystem: fileSystem)
        self.logger = logger
        self.now = now
    }

    var path: String { file.path }

    /// Loads the saved records; a damaged file is set aside and reported.
    func open() {
        let path = path
        guard let loaded = file.loadSettingAsideDamage("check-in records", logger: logger, decode: { try Self.decode($0, path: path) }) else {
            return
        }
        records.withLock { $0 = loaded }
    }

    var current: [String: CheckInRecord] { records.withLock { $0 } }

    /// Starts a record for each job seen for the first time, so that a job that never checks
    /// in still gets a deadline. Saves only when something was added.
    func register(_ jobs: [CheckInJob]) {
        let now = self.now()
        do {
            try change { records in
                var added = false
                for job in jobs where records[job.name] == nil {
                    records[job.name] = CheckInRecord(since: now)
                    added = true
                }
                return added
            }
        } catch {
            logger.error("check-in records could not be saved", metadata: ["error": "\(error)"])
        }
    }

    /// Records a check-in and saves; returns the job's record after it. A failed save leaves
    /// the records as they were and throws.
    @discardableResult
    func record(_ event: CheckInRecord.Event, job: String, message: String?) throws -> CheckInRecord {
        let now = self.now()
        var result: CheckInRecord?
        try change { records in
            let next = (records[job] ?? CheckInRecord(since: now)).recording(event, at: now, message: message)
            records[job] = next
            result = next
            return true
        }
        return result!
    }

    /// Applies the change and, if it says so, saves under the lock, so that the file's order of
    /// writes is the order of check-ins; a save that fails undoes the change.
    private func change(_ body: (inout [String: CheckInRecord]) -> Bool) throws {
        try records.withLock { records in
            var next = records
            guard body(&next) else { return }
            try file.write(Self.encode(next))
            records = next
        }
    }

    // MARK: Coding

    private struct Document: Codable {
        var format: String
        var version: Int
        var jobs: [String: CheckInRecord]
    }

    static func encode(_ records: [String: CheckInRecord]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(Document(format: format, version: version, jobs: records)))
    }

    static func decode(_ bytes: [UInt8], path: String) throws -> [String: CheckInRecord] {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw CheckInFileError(path: path, problem: "not a check-in state document: \(error)")
        }
        guard document.format == format, document.version == version else {
            throw CheckInFileError(
                path: path, problem: "expected format \(format) version \(version), got \(document.format) version \(document.version)")
        }
        return document.jobs.filter { CheckInJob.isValidName($0.key) }
    }
}

struct CheckInFileError: Error, CustomStringConvertible {
    let path: String
    let problem: String
    var description: String { "\(path): \(problem)" }
}
