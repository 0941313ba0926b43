import AlertEngine
import MetricStore
import Testing
import TestSupport

@testable import ScaleAgent

@Suite struct NotificationStateFileTests {
    static let fingerprint = AlertFingerprint(Labels(["alertname": "X"]))

    static func state(_ body: String) -> (NotificationLog, [QueuedNotification]) {
        let log = NotificationLog(entries: [
            "ops/webhook/0:{}:{alertname=\"X\"}": .init(firing: [fingerprint], resolved: [], sentAt: 1_000)
        ])
        let notification = Notification(
            receiver: "ops", integration: 0, groupKey: #"{}:{alertname="X"}"#, decidedAt: 1_000, body: body,
            alerts: [(Labels(["alertname": "X", "instance": "h"]), false)])
        var queued = QueuedNotification(notification)
        queued.attempts = 2
        queued.nextAttemptAt = 5_000
        return (log, [queued])
    }

    @Test func roundTrips() throws {
        let (log, queue) = Self.state(#"{"receiver":"ops"}"#)
        let bytes = NotificationStateFile.encode(log: log, queue: queue)
        let (readLog, readQueue) = try NotificationStateFile.decode(bytes, path: "state.json")
        #expect(readLog == log)
        #expect(readQueue == queue)
        #expect(readQueue.first?.notification.alerts.first?.labels == Labels(["alertname": "X", "instance": "h"]))
        #expect(readQueue.first?.id == queue.first?.notification.idempotencyKey)
    }

    @Test(arguments: [
        ("", "expected the notifier's JSON state"),
        (#"{"format":"other","version":1,"log":[],"queue":[]}"#, "expected format scalewatch-notifications version 1, found other version 1"),
        (#"{"format":"scalewatch-notifications","version":2,"log":[],"queue":[]}"#, "found scalewatch-notifications version 2"),
        (
            #"{"format":"scalewatch-notifications","version":1,"log":[{"key":"k","firing":["xyz"],"resolved":[],"sentAt":1}],"queue":[]}"#,
            "log entry k: expected 16 hex digits, found 'xyz'"
        ),
    ])
    func refusesWhatItCannotRead(_ text: String, _ expected: String) {
        #expect {
            _ = try NotificationStateFile.decode(Array(text.utf8), path: "/d/state.json")
        } throws: { error in
            "\(error)".hasPrefix("/d/state.json: ") && "\(error)".contains(expected)
        }
    }

    /// At every crash point of a save that replaces state A by state B, a reboot finds A or B.
    @Test func aPowerLossLeavesTheOldStateOrTheNew() throws {
        let (logA, queueA) = Self.state("A")
        let (logB, queueB) = Self.state("B")
        func run(_ fs: PowerLossFileSystem) {
            let file = NotificationStateFile(directory: "/data", fileSystem: fs)
            try? file.save(log: logB, queue: queueB)
        }
        let counting = PowerLossFileSystem()
        try NotificationStateFile(directory: "/data", fileSystem: counting).save(log: logA, queue: queueA)
        counting.startCounting(crashAfter: nil)
        run(counting)
        let points = counting.mutatingOperations
        #expect(points > 3)
        for point in 0...points {
            for mode in PowerLossFileSystem.CrashMode.all {
                let fs = PowerLossFileSystem()
                try NotificationStateFile(directory: "/data", fileSystem: fs).save(log: logA, queue: queueA)
                fs.startCounting(crashAfter: point)
                run(fs)
                let (_, queue) = try NotificationStateFile(directory: "/data", fileSystem: fs.crash(mode)).load()
                let body = queue.first?.notification.body
                #expect(body == "A" || body == "B", "crash point \(point), \(mode)")
                if point == points { #expect(body == "B", "a completed save is durable") }
            }
        }
    }

    @Test func aFirstRunStartsEmpty() throws {
        let (log, queue) = try NotificationStateFile(directory: "/data", fileSystem: PowerLossFileSystem()).load()
        #expect(log.entries.isEmpty && queue.isEmpty)
    }
}
