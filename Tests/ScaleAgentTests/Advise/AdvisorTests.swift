import Foundation
import MetricStore
import Testing

@testable import ScaleAgent

/// `scalewatch advise` over real stores holding what each stage's signature writes.
@Suite struct AdvisorTests {
    typealias H = AdviseHost
    /// Two hours ending at 14:00 UTC, at 1-minute steps.
    static let twoHours = AdviseWindow(start: H.noon, end: H.noon + 2 * H.hour, step: H.minute)
    /// A day ending at noon, at 6-minute steps (the default for 24h).
    static let day = AdviseWindow(since: 24 * H.hour, end: H.noon)

    /// A quiet host: CPU at 30%, half the memory free, half the disk used.
    static func quiet(_ host: AdviseHost) {
        host.cpu { _ in 0.3 }
        host.memory(total: 8 * H.gibibyte) { _ in 4 * H.gibibyte }
        host.filesystem("/", size: 100 * H.gibibyte) { _ in 50 * H.gibibyte }
    }

    @Test func anOOMKillAfterMemoryFellIsStageOneWithItsStory() async throws {
        let host = try AdviseHost("app", window: Self.twoHours)
        let kill = H.noon + 62 * H.minute  // 13:02
        host.cpu { _ in 0.3 }
        // 3.1 GiB until 12:42, down to 120 MiB at 13:02, back after the kill.
        host.memory(total: 8 * H.gibibyte) { time in
            if time <= kill - 20 * H.minute || time > kill { return 3.1 * H.gibibyte }
            let fraction = Double(time - (kill - 20 * H.minute)) / Double(20 * H.minute)
            return 3.1 * H.gibibyte - fraction * (3.1 * H.gibibyte - 120 * H.mebibyte)
        }
        host.series(["__name__": "node_vmstat_oom_kill"]) { $0 >= kill ? 1 : 0 }
        let victim: KeyValuePairs<String, String> = [
            "__name__": "scalewatch_oom_last_kill_timestamp_seconds", "pid": "4121", "process": "worker", "cgroup": "/system.slice/app.service",
            "killer": "kernel",
        ]
        host.series(victim) { $0 >= kill ? Double(kill) / 1000 : nil }
        host.series(
            ["__name__": "scalewatch_oom_last_victim_rss_bytes", "pid": "4121", "process": "worker", "cgroup": "/system.slice/app.service", "killer": "kernel"]
        ) { $0 >= kill ? 1.9 * H.gibibyte : nil }
        let report = await H.advise([host])

        #expect(report.findings.count == 1)
        let finding = try #require(report.findings.first)
        #expect(finding.stage == "1-single-server")
        #expect(finding.severity == .critical)
        #expect(finding.signature == "oom_kill")
        #expect(finding.hosts == ["app"])
        #expect(finding.evidence.contains("at 13:02 the kernel killed `worker` (pid 4121, 1.9 GiB) in /system.slice/app.service"), "\(finding.evidence)")
        #expect(finding.evidence.contains("memory available had fallen from 3.1 GiB to 120 MiB in 20 minutes"), "\(finding.evidence)")
        #expect(finding.numbers["oom_kills"] == 1)
        #expect(finding.numbers["victim_rss_bytes"] == 1.9 * H.gibibyte)
        #expect(finding.nextStep.contains("MemoryMax="), "the ProcessOOMKilled runbook's next step")
        #expect(report.status == "breaking")
        #expect(report.verdict.hasPrefix("The system has reached Stage 1"))
        #expect(report.exitStatus == 1)
    }

    @Test func connectionsClimbingTowardTheLimitGetAForecast() async throws {
        let host = try AdviseHost("db", window: Self.day)
        Self.quiet(host)
        // 50 client backends a day ago, 60 now: 10 a day, 37 to go to the 97 ordinary roles may open.
        host.postgres { time in 50 + 10 * Double(time - (H.noon - 24 * H.hour)) / Double(24 * H.hour) }
        let report = await H.advise([host])

        let finding = try #require(report.findings.first { $0.signature == "pg_pool_full" })
        #expect(finding.stage == "4-load-balanced")
        #expect(finding.severity == .warning, "the limit within a week")
        let forecast = try #require(finding.forecast)
        let expected = 37.0 / 10 * 86400
        let eta = try #require(forecast.etaSeconds)
        #expect(abs(eta - expected) < expected * 0.03, "\(eta) vs \(expected)")
        #expect(forecast.text == "connections reach max_connections (100) in about 4 days at this rate")
        #expect(finding.evidence.contains("client connections reached 60 of the 97 ordinary roles may open (max_connections 100)"), "\(finding.evidence)")
        #expect(finding.nextStep.contains("PgBouncer"))
    }

    @Test func aFullPoolWithRefusalsIsCritical() async throws {
        let host = try AdviseHost("db", window: Self.twoHours)
        Self.quiet(host)
        host.postgres { $0 >= H.noon + H.hour ? 97 : 40 }
        host.series(["__name__": "scalewatch_postgres_log_errors_total", "server": "db", "kind": "too_many_clients", "source": "journal"]) {
            $0 >= H.noon + 70 * H.minute ? 4 : 0
        }
        let report = await H.advise([host])
        let finding = try #require(report.findings.first)
        #expect(finding.signature == "pg_pool_full")
        #expect(finding.severity == .critical)
        #expect(finding.evidence.contains("reached 97 of the 97"), "\(finding.evidence)")
        #expect(finding.evidence.contains("refused connections 4 times"), "\(finding.evidence)")
        #expect(finding.evidence.contains("the first at 13:10"), "\(finding.evidence)")
        #expect(finding.forecast?.etaSeconds == 0)
    }

    @Test func cpuSaturatedOnAppHostsWhileTheDatabaseIsIdleIsStageThree() async throws {
        let app1 = try AdviseHost("app1:9470", window: Self.twoHours)
        let app2 = try AdviseHost("app2:9470", window: Self.twoHours)
        let db = try AdviseHost("db:9470", window: Self.twoHours)
        for app in [app1, app2] {
            app.cpu { $0 >= H.noon + H.hour ? 0.97 : 0.5 }
            app.memory(total: 8 * H.gibibyte) { _ in 4 * H.gibibyte }
        }
        db.cpu { _ in 0.1 }
        db.memory(total: 16 * H.gibibyte) { _ in 10 * H.gibibyte }
        db.postgres { _ in 30 }
        let report = await H.advise([app1, app2, db])

        #expect(report.findings.map(\.signature) == ["cpu_saturation"])
        let finding = try #require(report.findings.first)
        #expect(finding.stage == "3-monitoring")
        #expect(finding.hosts == ["app1:9470", "app2:9470"])
        #expect(finding.evidence.contains("the database host had room (db:9470 CPU peak 10%)"), "\(finding.evidence)")
        #expect(finding.evidence.contains("app1:9470: CPU was over 90% busy for 57 minutes from 13:04 (peak 97% at 13:05). app2:9470: CPU was over 90% busy"), "\(finding.evidence)")
        #expect(finding.nextStep.contains("load balancer"))
        #expect(report.headroom.map(\.host) == ["app1:9470", "app2:9470", "db:9470"])
    }

    @Test func cpuSaturatedOnlyOnTheDatabaseHostIsTheDatabaseStage() async throws {
        let app = try AdviseHost("app:9470", window: Self.twoHours)
        let db = try AdviseHost("db:9470", window: Self.twoHours)
        app.cpu { _ in 0.35 }
        db.cpu { _ in 0.98 }
        db.postgres { _ in 30 }
        let report = await H.advise([app, db])
        let finding = try #require(report.findings.first)
        #expect(finding.signature == "cpu_saturation")
        #expect(finding.stage == "4-load-balanced")
        #expect(finding.hosts == ["db:9470"])
        #expect(finding.evidence.contains("the application hosts had room (app:9470 CPU peak 35%)"), "\(finding.evidence)")
    }

    @Test func aFileSystemFillingWithinDaysIsForecast() async throws {
        let host = try AdviseHost("app", window: Self.day)
        host.cpu { _ in 0.3 }
        // 50 GiB free a day ago, 40 GiB now: 4 days left.
        host.filesystem("/", size: 100 * H.gibibyte) { time in
            (50 - 10 * Double(time - (H.noon - 24 * H.hour)) / Double(24 * H.hour)) * H.gibibyte
        }
        let report = await H.advise([host])
        let finding = try #require(report.findings.first)
        #expect(finding.signature == "filesystem_filling")
        #expect(finding.stage == "1-single-server")
        #expect(finding.severity == .warning)
        let eta = try #require(finding.forecast?.etaSeconds)
        #expect(abs(eta - 4 * 86400) < 4 * 86400 * 0.03, "\(eta)")
        #expect(finding.forecast?.text == "the file system / fills in about 4 days at this rate")
    }

    @Test func aQuietHostSaysNothingIsBreakingWithItsHeadroom() async throws {
        let host = try AdviseHost("app", window: Self.twoHours)
        Self.quiet(host)
        host.postgres { _ in 12 }
        let report = await H.advise([host])
        #expect(report.findings.isEmpty)
        #expect(report.status == "quiet")
        #expect(report.verdict == "Nothing is breaking.")
        #expect(report.exitStatus == 0)
        #expect(report.headroom.first?.text == "CPU peak 30%, memory available never below 4.0 GiB (50%), connections peaked at 12 of max_connections 100, fullest file system / 50% used")
        #expect(report.text.contains("Nothing is breaking.\n\nHeadroom:\n  app: CPU peak 30%"), "\(report.text)")
    }

    @Test func anUnreachableAgentIsNamedAndTheOtherSourcesAreStillRead() async throws {
        let host = try AdviseHost("db", window: Self.twoHours)
        Self.quiet(host)
        let report = await H.advise([host], extra: [.agent(url: "http://127.0.0.1:1/")])
        #expect(report.sources.map(\.name) == ["db", "127.0.0.1:1"])
        let error = try #require(report.unreadable.first?.error)
        #expect(error.contains("http://127.0.0.1:1"), "\(error)")
        #expect(report.headroom.map(\.host) == ["db"])
        #expect(report.exitStatus == 2)
        #expect(report.text.contains("Could not read http://127.0.0.1:1: "))
    }

    @Test func anAlertSeenInTheWindowWithoutAReaderBecomesAFinding() async throws {
        let host = try AdviseHost("app", window: Self.twoHours)
        Self.quiet(host)
        let swap: KeyValuePairs<String, String> = [
            "__name__": "ALERTS", "alertname": "HostSwapThrashing", "alertstate": "firing", "stage": "1-single-server", "severity": "warning",
            "signature": "swap_thrashing",
        ]
        host.series(swap) { $0 >= H.noon + 30 * H.minute && $0 <= H.noon + 50 * H.minute ? 1 : nil }
        host.series(["__name__": "ALERTS", "alertname": "Watchdog", "alertstate": "firing", "severity": "none", "signature": "heartbeat", "stage": "agent"]) { _ in 1 }
        let report = await H.advise([host])
        #expect(report.findings.map(\.signature) == ["swap_thrashing"])
        let finding = try #require(report.findings.first)
        #expect(finding.evidence == "HostSwapThrashing fired from 12:30 to 12:50")
        #expect(finding.alerts == ["HostSwapThrashing"])
        #expect(finding.nextStep == StageCatalogue.nextStep(alert: "HostSwapThrashing"))
        #expect(!finding.nextStep.isEmpty)
    }

    @Test func jsonHasTheDocumentedShape() async throws {
        let host = try AdviseHost("db", window: Self.day)
        Self.quiet(host)
        host.postgres { time in 50 + 10 * Double(time - (H.noon - 24 * H.hour)) / Double(24 * H.hour) }
        let report = await H.advise([host])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["status", "verdict", "stage", "exit_status", "window", "sources", "findings", "headroom"])
        #expect(object["status"] as? String == "breaking")
        #expect(object["stage"] as? String == "4-load-balanced")
        let window = try #require(object["window"] as? [String: Any])
        #expect(window["start"] as? String == "2026-12-05T12:00:00Z")
        #expect(window["seconds"] as? Double == 86400)
        let findings = try #require(object["findings"] as? [[String: Any]])
        let finding = try #require(findings.first)
        #expect(Set(finding.keys) == ["stage", "stage_title", "severity", "signature", "hosts", "evidence", "forecast", "next_step", "alerts"])
        #expect(finding["hosts"] as? [String] == ["db"])
        let evidence = try #require(finding["evidence"] as? [String: Any])
        #expect((evidence["numbers"] as? [String: Double])?["max_connections"] == 100)
        let forecast = try #require(finding["forecast"] as? [String: Any])
        #expect(forecast["metric"] as? String == "pg_connections_utilization_ratio")
        #expect(forecast["threshold"] as? Double == 1)
        #expect(forecast["eta_seconds"] is Double)
        let sources = try #require(object["sources"] as? [[String: Any]])
        #expect(sources.first?["error"] is NSNull)
    }
}

extension AdvisorTests {
    @Test func anAlertThatWasOnlyPendingIsATrendToWatch() async throws {
        let host = try AdviseHost("app", window: Self.twoHours)
        Self.quiet(host)
        host.series([
            "__name__": "ALERTS", "alertname": "HostCPUPressure", "alertstate": "pending", "stage": "3-monitoring", "severity": "warning",
            "signature": "cpu_pressure",
        ]) { $0 >= H.noon + 100 * H.minute ? 1 : nil }
        let report = await H.advise([host])
        #expect(report.findings.map(\.severity) == [.info])
        #expect(report.findings.first?.evidence == "HostCPUPressure was pending from 13:40 to 14:00")
        #expect(report.verdict == "Nothing is breaking. 1 trend to watch.")
        #expect(report.exitStatus == 0)
    }
}

extension AdvisorTests {
    @Test func lockWaitsAndReplicationLagAreStagesSixAndSevenOrderedBySeverityThenStage() async throws {
        let host = try AdviseHost("db", window: Self.twoHours)
        Self.quiet(host)
        host.postgres { _ in 97 }  // a full pool: critical, stage 4
        host.series(["__name__": "pg_locks_oldest_wait_seconds", "server": "db"]) { $0 == H.noon + 90 * H.minute ? 130 : 0 }
        host.series(["__name__": "pg_replication_lag", "server": "standby"]) { $0 >= H.noon + 100 * H.minute ? 45 : 0 }
        let report = await H.advise([host])
        #expect(report.findings.map(\.signature) == ["pg_pool_full", "pg_lock_waits", "pg_replication_lag"])
        #expect(report.findings.map(\.stage) == ["4-load-balanced", "6-queue-workers", "7-replicas-shards"])
        #expect(report.findings[1].evidence == "on PostgreSQL db, a session had waited 2 minutes for a lock at 13:30, the longest wait in the window")
        #expect(report.findings[2].evidence.hasPrefix("the standby standby fell 45 seconds behind the primary at 13:40"))
        #expect(report.findings[2].numbers["replication_lag_peak_seconds"] == 45)
    }
}

extension AdvisorTests {
    @Test func listenQueueOverflowsAreStageThree() async throws {
        let host = try AdviseHost("web", window: Self.twoHours)
        Self.quiet(host)
        host.series(["__name__": "node_netstat_TcpExt_ListenOverflows"]) { $0 >= H.noon + 75 * H.minute ? 500 : 20 }
        let report = await H.advise([host])
        #expect(report.findings.map(\.signature) == ["listen_overflow"])
        #expect(report.findings.first?.stage == "3-monitoring")
        #expect(report.findings.first?.evidence.hasPrefix("the kernel dropped 480 incoming connections because a listen queue was full, the first at 13:15") == true)
    }
}
