import Foundation
import Logging
import MetricStore
import Synchronization
import TestSupport
import Testing

@testable import ScaleAgent

@Suite struct CheckInStoreTests {
    final class FakeClock: Sendable {
        let time = Mutex<Double>(1_000)
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
        var now: Double { time.withLock { $0 } }
    }

    static func store(_ directory: TestDirectory, _ clock: FakeClock) -> CheckInStore {
        CheckInStore(directory: directory.path, logger: Logger(label: "test"), now: { clock.now })
    }

    @Test func countsRunsAndTheirDurations() throws {
        var record = CheckInRecord(since: 0)
        record = record.recording(.start, at: 100, message: nil)
        record = record.recording(.success, at: 130, message: "ok\n")
        #expect(record.lastDuration == 30 && record.successes == 1 && record.starts == 1 && record.lastMessage == "ok\n")
        // A success without a start since the last run ended keeps the last duration.
        record = record.recording(.success, at: 200, message: nil)
        #expect(record.lastDuration == 30 && record.successes == 2 && record.lastMessage == "ok\n")
        record = record.recording(.start, at: 300, message: nil)
        record = record.recording(.fail, at: 310, message: "disk full")
        #expect(record.lastDuration == 10 && record.failures == 1 && record.lastFailure == 310 && record.lastSuccess == 200)
    }

    @Test func aRestartKeepsTheRecords() throws {
        let directory = TestDirectory(prefix: "checkins")
        defer { directory.remove() }
        let clock = FakeClock()
        let first = Self.store(directory, clock)
        first.open()
        first.register([CheckInJob(name: "backup", schedule: .period(60))])
        clock.advance(10)
        try first.record(.start, job: "backup", message: nil)
        clock.advance(5)
        try first.record(.success, job: "backup", message: "done")

        let second = Self.store(directory, clock)
        second.open()
        let record = try #require(second.current["backup"])
        #expect(record.since == 1_000 && record.lastStart == 1_010 && record.lastSuccess == 1_015 && record.lastDuration == 5)
        #expect(record.successes == 1 && record.lastMessage == "done")
        // Registering again keeps when the job was first seen.
        clock.advance(100)
        second.register([CheckInJob(name: "backup", schedule: .period(60))])
        #expect(second.current["backup"]?.since == 1_000)
    }

    @Test(arguments: [
        "not json", #"{"format":"scalewatch-silences","version":1,"jobs":{}}"#, #"{"format":"scalewatch-checkins","version":2,"jobs":{}}"#,
    ])
    func aDamagedFileIsSetAsideAndTheAgentStartsWithout(_ text: String) throws {
        let directory = TestDirectory(prefix: "checkins")
        defer { directory.remove() }
        try directory.write(CheckInStore.relativePath, text)
        let store = Self.store(directory, FakeClock())
        store.open()
        #expect(store.current.isEmpty)
        #expect(directory.fileSystem.exists(directory.file(CheckInStore.relativePath + ".corrupt")))
        try store.record(.success, job: "backup", message: nil)
        #expect(store.current["backup"]?.successes == 1)
    }

    @Test func theDecoderNamesWhatItExpected() {
        let bytes = Array(#"{"format":"scalewatch-checkins","version":9,"jobs":{}}"#.utf8)
        let error = #expect(throws: CheckInFileError.self) { try CheckInStore.decode(bytes, path: "/d/state.json") }
        #expect(error?.description == "/d/state.json: expected format scalewatch-checkins version 1, got scalewatch-checkins version 9")
    }

    @Test func aFailedSaveLeavesTheRecordsAsTheyWere() throws {
        let directory = TestDirectory(prefix: "checkins")
        defer { directory.remove() }
        // A file where the store's directory should be: every save fails.
        try directory.write("checkins", "")
        let store = Self.store(directory, FakeClock())
        #expect(throws: (any Error).self) { try store.record(.success, job: "backup", message: nil) }
        #expect(store.current.isEmpty)
    }

    @Test func deadlines() throws {
        let hourly = CheckInJob(name: "a", schedule: .period(3_600), grace: 300)
        #expect(hourly.deadline(lastSuccess: nil, since: 1_000) == 4_900.0)
        #expect(hourly.deadline(lastSuccess: 5_000, since: 1_000) == 8_900.0)
        let nightly = CheckInJob(
            name: "b", schedule: .cron(try CronExpression.parse("30 2 * * *"), TimeZone(identifier: "UTC")!), grace: 900)
        let success = Double(CronExpressionTests.utc("2026-01-01 02:31:10"))
        #expect(nightly.deadline(lastSuccess: success, since: 0) == Double(CronExpressionTests.utc("2026-01-02 02:45")))
    }

    @Test func rendersEveryConfiguredJob() throws {
        var record = CheckInRecord(since: 1_000)
        record = record.recording(.start, at: 1_100, message: nil).recording(.fail, at: 1_160, message: nil)
        var metrics = MetricsBuilder()
        CheckInCollector.render(
            jobs: [CheckInJob(name: "sync", schedule: .period(60), grace: 20), CheckInJob(name: "backup", schedule: .period(3_600))],
            records: ["backup": record], now: 2_000, into: &metrics)
        let text = String(decoding: ExpositionRenderer.render(metrics.build(), as: .text), as: UTF8.self)
        let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(
            samples == [
                #"scalewatch_job_deadline_timestamp_seconds{job="backup"} 4900"#,
                #"scalewatch_job_deadline_timestamp_seconds{job="sync"} 2080"#,
                #"scalewatch_job_failures_total{job="backup"} 1"#,
                #"scalewatch_job_failures_total{job="sync"} 0"#,
                #"scalewatch_job_last_duration_seconds{job="backup"} 60"#,
                #"scalewatch_job_last_failure_timestamp_seconds{job="backup"} 1160"#,
                #"scalewatch_job_last_failure_timestamp_seconds{job="sync"} 0"#,
                #"scalewatch_job_last_start_timestamp_seconds{job="backup"} 1100"#,
                #"scalewatch_job_last_start_timestamp_seconds{job="sync"} 0"#,
                #"scalewatch_job_last_success_timestamp_seconds{job="backup"} 0"#,
                #"scalewatch_job_last_success_timestamp_seconds{job="sync"} 0"#,
                #"scalewatch_job_successes_total{job="backup"} 0"#,
                #"scalewatch_job_successes_total{job="sync"} 0"#,
            ])
    }
}
