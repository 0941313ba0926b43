import MetricStore
import Testing

@testable import ScaleAgent

@Suite struct AdviseWordingTests {
    @Test(arguments: [
        (512.0, "512 B"), (1536.0, "1.5 KiB"), (120 * 1_048_576.0, "120 MiB"), (1.9 * 1_073_741_824.0, "1.9 GiB"), (0.0, "0 B"),
    ])
    func bytes(_ value: Double, _ text: String) {
        #expect(AdviseWording.bytes(value) == text)
    }

    @Test(arguments: [
        (1.0, "1 second"), (45.0, "45 seconds"), (1200.0, "20 minutes"), (3600.0, "60 minutes"), (5400.0, "2 hours"),
        (9 * 86400.0, "9 days"), (3.7 * 86400.0, "4 days"),
    ])
    func spans(_ seconds: Double, _ text: String) {
        #expect(AdviseWording.span(seconds: seconds) == text)
    }

    @Test func clock() {
        #expect(AdviseWording.clock(1_796_558_400_000 + 62 * 60_000, withDate: false) == "13:02")
        #expect(AdviseWording.clock(1_796_558_400_000, withDate: true) == "Dec 6 12:00")
    }

    @Test func trendSlopeAndETA() throws {
        let points = (0..<10).map { Sample(timestamp: Int64($0) * 60_000, value: 10 + Double($0) * 6) }
        let trend = try #require(SeriesTrend(points))
        #expect(abs(try #require(trend.slope) - 0.1) < 1e-9)
        // 64 at the last point, 0.1 per second: 100 in 360 s.
        #expect(abs(try #require(trend.secondsUntil(100, rising: true)) - 360) < 1e-6)
        #expect(trend.secondsUntil(0, rising: false) == nil, "rising away from it")
        #expect(trend.secondsUntil(50, rising: true) == 0, "already past it")
        #expect(SeriesTrend([Sample(timestamp: 0, value: .nan)]) == nil)
    }

    @Test func stageCatalogueReadsTheRunbooks() {
        #expect(StageCatalogue.title("4-load-balanced") == "Stage 4 · many app boxes, one database")
        #expect(StageCatalogue.nextStep(alert: "PostgresConnectionPoolNearFull")?.hasPrefix("Put a connection pooler") == true)
        #expect(StageCatalogue.nextStep(alert: "NoSuchAlert") == nil)
        #expect(StageCatalogue.number("agent") > StageCatalogue.number("7-replicas-shards"))
    }
}
