import AlertEngine
import MetricStore
import Testing
import TestSupport

@testable import ScaleAgent

/// The outbox's snapshot and journal: exact bytes, replay, torn tails, compaction, and every
/// power-loss crash point of a save.
@Suite struct NotificationOutboxTests {
    static let key = #"ops/webhook/0:{}:{alertname="X"}"#

    static func item(_ n: Int, body: String? = nil) -> QueuedNotification {
        QueuedNotification(
            Notification(
                receiver: "ops", integration: 0, groupKey: #"{}:{alertname="X"}"#, decidedAt: Int64(1_000 * n),
                body: body ?? #"{"n":\#(n)}"#, alerts: [(Labels(["alertname": "X"]), n % 2 == 0)]))
    }

    static func log(_ sentAt: Int64) -> NotificationLog {
        NotificationLog(entries: [key: .init(firing: [AlertFingerprint(Labels(["alertname": "X"]))], resolved: [], sentAt: sentAt)])
    }

    /// States 0…3: one queued; a second queued; the first retried; the first delivered and the
    /// log moved on.
    static var states: [(NotificationLog, [QueuedNotification])] {
        var retried = item(1)
        retried.attempts = 1
        retried.nextAttemptAt = 3_500
        return [(log(1_000), [item(1)]), (log(2_000), [item(1), item(2)]), (log(2_000), [retried, item(2)]), (log(4_000), [item(2)])]
    }

    static let journal = "/data/" + NotificationJournal.relativePath

    static func outbox(_ fs: PowerLossFileSystem) -> NotificationOutbox {
        NotificationOutbox(directory: "/data", fileSystem: fs)
    }

    /// The journal after states 0…3, byte for byte: the first save writes the snapshot and the
    /// header, each later one a line (Fixtures/notifications/state.journal, written from the
    /// format's description, its checksums checked apart from this code).
    @Test func journalBytesMatchTheGoldenFile() throws {
        let fs = PowerLossFileSystem()
        let outbox = Self.outbox(fs)
        _ = try outbox.load()
        for (log, queue) in Self.states { try outbox.save(log: log, queue: queue) }
        let path = Fixtures.directory + "/notifications/state.journal"
        let golden = (try? PosixFileSystem().read(path)) ?? []
        let written = fs.contents(of: Self.journal) ?? []
        if written != golden {
            // To re-record on purpose: review this file and copy it over the fixture.
            if let file = try? PosixFileSystem().create(path + ".actual") {
                try? file.write(written)
                try? file.close()
            }
        }
        #expect(written == golden)
    }

    @Test func aLoadReplaysTheJournalOverTheSnapshot() throws {
        let fs = PowerLossFileSystem()
        let outbox = Self.outbox(fs)
        _ = try outbox.load()
        for (log, queue) in Self.states {
            try outbox.save(log: log, queue: queue)
            let (readLog, readQueue, discarded) = try Self.outbox(fs.crash()).load()
            #expect(readLog == log && readQueue == queue && discarded == 0)
        }
    }

    @Test func aTornLastLineIsDiscardedAndTheNextSaveRestartsTheJournal() throws {
        let fs = PowerLossFileSystem()
        let outbox = Self.outbox(fs)
        _ = try outbox.load()
        try outbox.save(log: Self.states[0].0, queue: Self.states[0].1)
        try outbox.save(log: Self.states[1].0, queue: Self.states[1].1)
        let whole = fs.contents(of: Self.journal) ?? []
        let garbage = Array(#"0badc0de {"done":["#.utf8)
        let appended = try fs.openForAppend(Self.journal)
        try appended.write(garbage)
        try appended.close()

        let reopened = Self.outbox(fs)
        let (log, queue, discarded) = try reopened.load()
        #expect(log == Self.states[1].0 && queue == Self.states[1].1)
        #expect(discarded == garbage.count)
        try reopened.save(log: Self.states[2].0, queue: Self.states[2].1)
        #expect(fs.contents(of: Self.journal) == NotificationJournal.header, "restarted, not appended after the garbage")
        #expect(whole.count > NotificationJournal.header.count)
        let (_, after, none) = try Self.outbox(fs).load()
        #expect(after == Self.states[2].1 && none == 0)
    }

    @Test(arguments: [
        ("scalewatch-notifications-journal 2\n", "expected the header 'scalewatch-notifications-journal 1'"),
        ("{\"format\":\"scalewatch-notifications\"}\n", "expected the header"),
    ])
    func refusesAnotherFile(_ text: String, _ expected: String) {
        #expect {
            _ = try NotificationJournal.parse(Array(text.utf8), path: "/d/state.journal")
        } throws: { error in
            "\(error)".hasPrefix("/d/state.journal: ") && "\(error)".contains(expected)
        }
    }

    @Test(arguments: [0, 1, 10, 34])
    func aPrefixOfTheHeaderIsAnEmptyJournal(_ length: Int) throws {
        let contents = try NotificationJournal.parse(Array(NotificationJournal.header.prefix(length)), path: "j")
        #expect(contents.batches.isEmpty && !contents.hasHeader && contents.discardedBytes == length)
    }

    @Test func aLineWithAWrongChecksumEndsTheReplay() throws {
        var line = NotificationJournal.line(NotificationJournal.Batch(done: ["a"]))
        let good = try NotificationJournal.parse(NotificationJournal.header + line, path: "j")
        #expect(good.batches.count == 1 && good.discardedBytes == 0)
        line[0] = line[0] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let bad = try NotificationJournal.parse(NotificationJournal.header + line, path: "j")
        #expect(bad.batches.isEmpty && bad.discardedBytes == line.count)
    }

    /// A save that outgrows the snapshot compacts: the journal restarts with its header and
    /// the snapshot holds the state; replaying the old journal over it (a crash between the two)
    /// changes nothing.
    @Test func compactionRestartsTheJournalAndAnOldJournalReplaysHarmlessly() throws {
        let fs = PowerLossFileSystem()
        let outbox = Self.outbox(fs)
        _ = try outbox.load()
        try outbox.save(log: Self.states[0].0, queue: Self.states[0].1)
        let big = Self.item(2, body: String(repeating: "x", count: 8_000))
        try outbox.save(log: Self.states[1].0, queue: [Self.item(1), big])
        #expect(fs.contents(of: Self.journal) == NotificationJournal.header)
        let snapshot = try NotificationStateFile(directory: "/data", fileSystem: fs).load()
        #expect(snapshot.queue == [Self.item(1), big])

        let replayed = try NotificationJournal.parse(
            NotificationJournal.header + NotificationJournal.line(NotificationJournal.Batch(queue: [.init(Self.item(1)), .init(big)])),
            path: "j")
        var state = NotificationJournal.ReplayedState(log: snapshot.log, queue: snapshot.queue)
        for batch in replayed.batches { try NotificationJournal.apply(batch, to: &state, path: "j") }
        #expect(state.queue == [Self.item(1), big])
    }

    /// At every crash point of each save of states 0…3 (appends, and a compaction forced by a
    /// large notification), in every crash mode, a reboot finds the state before the save or
    /// after it.
    @Test(arguments: [false, true])
    func aPowerLossLeavesTheStateBeforeOrAfterEachSave(_ compacting: Bool) throws {
        var states = Self.states
        if compacting { states[1].1[1] = Self.item(2, body: String(repeating: "y", count: 6_000)) }
        for step in 1..<states.count {
            func prepare(_ fs: PowerLossFileSystem) throws -> NotificationOutbox {
                let outbox = Self.outbox(fs)
                _ = try outbox.load()
                for (log, queue) in states[..<step] { try outbox.save(log: log, queue: queue) }
                fs.syncEverything()
                return outbox
            }
            let counting = PowerLossFileSystem()
            let outbox = try prepare(counting)
            counting.startCounting(crashAfter: nil)
            try outbox.save(log: states[step].0, queue: states[step].1)
            let points = counting.mutatingOperations
            #expect(points >= 3)
            for point in 0...points {
                for mode in PowerLossFileSystem.CrashMode.all {
                    let fs = PowerLossFileSystem()
                    let crashing = try prepare(fs)
                    fs.startCounting(crashAfter: point)
                    try? crashing.save(log: states[step].0, queue: states[step].1)
                    let (log, queue, _) = try Self.outbox(fs.crash(mode)).load()
                    let before = (log, queue) == states[step - 1], after = (log, queue) == states[step]
                    #expect(before || after, "step \(step), crash point \(point), \(mode)")
                    if point == points { #expect(after, "a completed save is durable: step \(step), \(mode)") }
                }
            }
        }
    }
    /// A backlog written whole (at a compaction) is rewritten once it has drained to an eighth,
    /// not left on disk until the journal outgrows it.
    @Test func aDrainedBacklogLeavesTheSnapshot() throws {
        let fs = PowerLossFileSystem()
        let outbox = Self.outbox(fs)
        _ = try outbox.load()
        let backlog = (1...40).map { Self.item($0, body: String(repeating: "z", count: 2_000)) }
        try outbox.compact(log: Self.log(1_000), queue: backlog)
        let full = fs.contents(of: "/data/notifications/state.json")?.count ?? 0
        #expect(full > NotificationOutbox.drainedSnapshotLimit)
        try outbox.save(log: Self.log(2_000), queue: Array(backlog.suffix(10)))
        #expect(fs.contents(of: "/data/notifications/state.json")?.count == full, "a quarter left: not yet")
        try outbox.save(log: Self.log(3_000), queue: Array(backlog.suffix(5)))
        #expect((fs.contents(of: "/data/notifications/state.json")?.count ?? .max) < full / 4)
        #expect(fs.contents(of: Self.journal) == NotificationJournal.header)
        let (_, queue, _) = try Self.outbox(fs.crash()).load()
        #expect(queue == Array(backlog.suffix(5)))
    }
}
