import Logging
import Testing

@testable import ScaleAgent
import TestSupport

@Suite struct TimerUnitFileTests {
    @Test(arguments: [
        ("logrotate.timer", "[Unit]\nDescription=Daily rotation\n\n[Timer]\nOnCalendar=daily\nPersistent=true\n", "logrotate.service"),
        ("backup.timer", "[Timer]\nOnCalendar=*-*-* 02:30\nUnit=pg-backup.service\n", "pg-backup.service"),
        ("backup.timer", "[Timer]\nUnit=a.service\nUnit = b.service\n", "b.service"),
        // Unit= elsewhere than [Timer] is not the timer's.
        ("x.timer", "[Unit]\nUnit=nope.service\n[Install]\nWantedBy=timers.target\n", "x.service"),
        ("x.timer", "[Timer]\n# Unit=commented.service\n;Unit=also.service\nOnBootSec=5m\n", "x.service"),
        ("x.timer", "[Timer]\nOnCalendar=Mon \\\n  10:00\nUnit=y.service\n", "y.service"),
        // Not a unit name: systemd would refuse the file; the default is the best guess.
        ("x.timer", "[Timer]\nUnit=not a unit\n", "x.service"),
        ("x.timer", "", "x.service"),
    ])
    func theServiceATimerStarts(_ timer: String, _ text: String, _ service: String) {
        #expect(TimerUnits.service(ofTimer: timer, unitFile: text) == service)
    }

    @Test func unitDirectoriesInPrecedence() throws {
        let root = TestDirectory(prefix: "scalewatch-timers")
        defer { root.remove() }
        try root.write("etc/systemd/system/backup.timer", "[Timer]\nUnit=pg-backup.service\n")
        try root.write("lib/systemd/system/backup.timer", "[Timer]\nUnit=hidden.service\n")
        try root.write("lib/systemd/system/logrotate.timer", "[Timer]\nOnCalendar=daily\n")
        try root.write("lib/systemd/system/fstrim.service", "[Service]\nType=oneshot\n")
        try root.write("lib/systemd/system/certbot@.timer", "[Timer]\nOnCalendar=daily\n")
        #expect(
            TimerUnits.read(paths: HostPaths(rootfs: root.path)) == [
                TimerUnit(timer: "backup.timer", service: "pg-backup.service"),
                TimerUnit(timer: "logrotate.timer", service: "logrotate.service"),
            ])
        #expect(TimerUnits.read(paths: HostPaths(rootfs: root.file("nothing-here"))) == [])
    }

    @Test func lastStartAndResultPerService() {
        var runs = UnitRuns(limit: 2)
        runs.record(.starting(unit: "a.service"), time: 10)
        runs.record(.failed(unit: "a.service", result: "exit-code"), time: 11)
        runs.record(.starting(unit: "a.service"), time: 20)
        runs.record(.succeeded(unit: "a.service"), time: 21)
        runs.record(.starting(unit: "a.timer"), time: 20)
        runs.record(.failed(unit: "b.service", result: "timeout"), time: 30)
        runs.record(.starting(unit: "c.service"), time: 40)
        #expect(runs.services == ["a.service": .init(lastStart: 20, lastResult: "success"), "b.service": .init(lastStart: nil, lastResult: "timeout")])
    }

    @Test func messagesByCatalogID() {
        let fields = ["UNIT": "logrotate.service", "UNIT_RESULT": "exit-code"]
        #expect(UnitRunMessage.parse(messageID: UnitRunMessage.startingID) { fields[$0] } == .starting(unit: "logrotate.service"))
        #expect(UnitRunMessage.parse(messageID: UnitRunMessage.successID) { fields[$0] } == .succeeded(unit: "logrotate.service"))
        #expect(UnitRunMessage.parse(messageID: UnitRunMessage.failureResultID) { fields[$0] } == .failed(unit: "logrotate.service", result: "exit-code"))
        #expect(UnitRunMessage.parse(messageID: UnitRunMessage.failureResultID) { ["UNIT": "x.service"][$0] } == .failed(unit: "x.service", result: "unknown"))
        #expect(UnitRunMessage.parse(messageID: "39f53479d3a045ac8e11786248231fbf") { fields[$0] } == nil)
        #expect(UnitRunMessage.parse(messageID: UnitRunMessage.startingID) { _ in nil } == nil)
        #expect(UnitRunMessage.parse(messageID: UnitRunMessage.startingID) { _ in "init" } == nil)
    }
}

/// Timers on real journal files written by systemd-journal-remote, with the catalogued
/// messages PID 1 logs for a timer's service runs.
@Suite(.enabled(if: JournalFixture.isAvailable, "needs systemd-journal-remote (make deps)"), .serialized)
struct TimerJournalFixtureTests {
    typealias Entry = JournalFixture.Entry

    static func run(_ id: String, _ unit: String, _ text: String, result: String? = nil) -> Entry {
        var entry = Entry.manager(unit, text, priority: result == nil ? 6 : 4)
        entry.fields.append(("MESSAGE_ID", id))
        if let result { entry.fields.append(("UNIT_RESULT", result)) }
        return entry
    }

    static let start: UInt64 = 1_714_557_600_000_000

    @Test func eachTimersLastTriggerAndResult() throws {
        let directory = TestDirectory(prefix: "scalewatch-timers")
        defer { directory.remove() }
        try directory.write("root/etc/systemd/system/backup.timer", "[Timer]\nOnCalendar=02:30\nUnit=pg-backup.service\n")
        try directory.write("root/lib/systemd/system/logrotate.timer", "[Timer]\nOnCalendar=daily\n")
        try directory.write("root/lib/systemd/system/fstrim.timer", "[Timer]\nOnCalendar=weekly\n")
        let journal = directory.file("timers.journal")
        #expect(JournalFixture.append([.service("cron.service", "(root) CMD (true)")], to: journal, start: Self.start, scratch: directory))
        var settings = JournalSettings()
        settings.files = [journal]
        let collector = JournalCollector(
            settings: settings, paths: HostPaths(rootfs: directory.file("root")), dataDirectory: directory.file("data"),
            logger: Logger(label: "test"), registry: LogFollowerRegistry())
        defer {
            collector.runningFollower().requestStop()
            #expect(collector.runningFollower().waitUntilStopped(timeout: .seconds(10)))
        }
        var metrics = MetricsBuilder()
        try collector.collect(into: &metrics)
        #expect(collector.runningFollower().waitUntilCaughtUp(timeout: .seconds(20)))

        let entries: [Entry] = [
            Self.run(UnitRunMessage.startingID, "logrotate.service", "Starting Rotate log files..."),
            Self.run(UnitRunMessage.successID, "logrotate.service", "Deactivated successfully."),
            Self.run(UnitRunMessage.startingID, "pg-backup.service", "Starting Nightly backup..."),
            Self.run(UnitRunMessage.failureResultID, "pg-backup.service", "Failed with result 'exit-code'.", result: "exit-code"),
            // Not started by a timer: no timer series.
            Self.run(UnitRunMessage.startingID, "app.service", "Starting App..."),
            Self.run(UnitRunMessage.failureResultID, "app.service", "Failed with result 'oom-kill'.", result: "oom-kill"),
            // The next day's rotation fails.
            Self.run(UnitRunMessage.startingID, "logrotate.service", "Starting Rotate log files..."),
            Self.run(UnitRunMessage.failureResultID, "logrotate.service", "Failed with result 'timeout'.", result: "timeout"),
        ]
        let appended = Self.start + 1_000_000
        #expect(JournalFixture.append(entries, to: journal, start: appended, scratch: directory))
        #expect(collector.runningFollower().waitUntilCaughtUp(timeout: .seconds(20)))
        metrics = MetricsBuilder()
        try collector.collect(into: &metrics)
        let families = metrics.build()
        func samples(_ name: String) -> [String] {
            (families.first { $0.name == name }?.samples ?? []).map { sample in
                "\(sample.labels["timer"] ?? "") \(sample.labels["service"] ?? "") \(sample.labels["result"] ?? "") \(sample.value)"
            }
        }
        func time(_ index: UInt64) -> Double { Double(appended + index) / 1e6 }
        #expect(
            samples("scalewatch_timer_last_trigger_timestamp_seconds") == [
                "backup.timer pg-backup.service  \(time(2))", "fstrim.timer fstrim.service  0.0", "logrotate.timer logrotate.service  \(time(6))",
            ])
        let results = samples("scalewatch_timer_service_last_result")
        #expect(results.count == 2 * JournalCollector.unitResults.count)
        #expect(results.filter { $0.hasSuffix(" 1.0") } == ["backup.timer pg-backup.service exit-code 1.0", "logrotate.timer logrotate.service timeout 1.0"])
        #expect(!results.contains { $0.contains("fstrim") || $0.contains("app.service") })
        // The unit counters see the same failures.
        #expect(
            families.first { $0.name == "scalewatch_unit_failures_total" }?.samples.contains { $0.labels["unit"] == "pg-backup.service" } == true)
    }
}
