import Testing

@testable import ScaleAgent

/// The agent's events as evidence in the findings they explain.
@Suite struct EventNotesTests {
    static let window = AdvisorTests.twoHours
    static let t = AdviseHost.noon + 70 * AdviseHost.minute  // 13:10

    static func pool() -> AdviseFinding {
        AdviseFinding(
            stage: "4-load-balanced", severity: .critical, signature: "pg_pool_full", hosts: ["db"], evidence: "the pool was full",
            numbers: [:], forecast: nil, nextStep: "", alerts: [])
    }

    @Test func aRefusalInPostgreSQLsLogIsQuotedInThePoolFinding() {
        let events = (0..<3).map {
            AdviseEvent(
                time: Self.t + Int64($0) * 60_000, kind: "postgres_error", summary: "PostgreSQL: FATAL:  sorry, too many clients already",
                details: ["kind": "too_many_clients"])
        }
        let findings = EventNotes.add(events, to: [Self.pool()], host: "db", window: Self.window)
        #expect(findings.count == 1)
        #expect(
            findings[0].evidence
                == "the pool was full; at 13:10 PostgreSQL: FATAL:  sorry, too many clients already; at 13:11 PostgreSQL: FATAL:  sorry, too many clients already")
    }

    @Test func anErrorWithoutAFindingToExplainAddsNothing() {
        let events = [AdviseEvent(time: Self.t, kind: "postgres_error", summary: "PostgreSQL: deadlock detected", details: ["kind": "deadlock"])]
        #expect(EventNotes.add(events, to: [Self.pool()], host: "db", window: Self.window) == [Self.pool()])
    }

    @Test func aUnitFailureWithoutAnAlertBecomesAFinding() {
        let events = [
            AdviseEvent(
                time: Self.t, kind: "unit_failure", summary: "app.service failed with result 'exit-code' (main process exited, code=exited, status=1)",
                details: ["unit": "app.service", "result": "exit-code"])
        ]
        let findings = EventNotes.add(events, to: [], host: "app", window: Self.window)
        #expect(findings.map(\.signature) == ["unit_failed"])
        #expect(findings.first?.stage == "3-monitoring")
        #expect(findings.first?.evidence == "at 13:10 app.service failed with result 'exit-code' (main process exited, code=exited, status=1)")
        #expect(findings.first?.nextStep == StageCatalogue.nextStep(alert: "UnitFailed"))
    }
}
