import Testing

@testable import ScaleAgent

/// The text report, whole: what a person reads.
@Suite struct AdviseReportTextTests {
    typealias H = AdviseHost

    @Test func aFullPoolAcrossTwoHostsReadsAsOneStory() async throws {
        let app = try AdviseHost("app1:9470", window: AdvisorTests.twoHours)
        let db = try AdviseHost("db1:9470", window: AdvisorTests.twoHours)
        app.cpu { _ in 0.4 }
        app.memory(total: 8 * H.gibibyte) { _ in 6 * H.gibibyte }
        db.cpu { _ in 0.2 }
        db.postgres { $0 >= H.noon + 90 * H.minute ? 97 : 40 }
        let report = await H.advise([app, db])
        #expect(
            report.text == """
                Window: Dec 6 12:00 to Dec 6 14:00 UTC (2 hours), 2 of 2 sources read
                The system has reached Stage 4 · many app boxes, one database: the connection pool full, one hot query.

                1. [critical] Stage 4 · many app boxes, one database — pg_pool_full on db1:9470
                   Evidence: db1:9470: on PostgreSQL db, client connections reached 97 of the 97 ordinary roles may open (max_connections 100) at 13:30, up from 41% at 12:00; the application hosts were not CPU-bound (app1:9470 CPU peak 40%).
                   Forecast: connections are at max_connections (100) now.
                   Next step: \(StageCatalogue.nextStep(alert: "PostgresConnectionPoolNearFull")!)

                Headroom:
                  app1:9470: CPU peak 40%, memory available never below 6.0 GiB (75%)
                  db1:9470: CPU peak 20%, connections peaked at 97 of max_connections 100

                """)
    }
}
