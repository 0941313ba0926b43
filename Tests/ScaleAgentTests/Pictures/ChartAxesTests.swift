import Testing

@testable import ScaleAgent

/// Units guessed from names, values formatted in their scale, axes on round numbers, time in UTC.
@Suite struct ChartAxesTests {
    @Test(arguments: [
        ("node_memory_MemAvailable_bytes", ChartUnit.bytes),
        ("rate(node_network_receive_bytes_total[5m])", .bytesPerSecond),
        ("increase(node_network_receive_bytes_total[1h])", .bytes),
        ("pg_replication_lag_seconds", .seconds),
        (#"rate(node_cpu_seconds_total{mode!="idle"}[5m])"#, .ratio),
        ("pg_connections_utilization_ratio", .ratio),
        ("node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes", .ratio),
        ("rate(scalewatch_http_requests_total[5m])", .perSecond),
        ("scalewatch_oom_kills_total", .count),
        (#"up{job="x_bytes"}"#, .plain),
        ("node_load1", .plain),
        ("1 + 1", .plain),
    ])
    func unitGuessedFromTheExpression(_ expression: String, _ unit: ChartUnit) {
        #expect(ChartUnit.guess(expression) == unit)
    }

    @Test(arguments: [
        (ChartUnit.bytes, 3.5 * 1024 * 1024 * 1024, "3.5 GiB"),
        (.bytes, 512, "512 B"),
        (.bytesPerSecond, 2048, "2 KiB/s"),
        (.seconds, 0.25, "250 ms"),
        (.seconds, 90, "90 s"),
        (.seconds, 600, "10 min"),
        (.ratio, 0.4567, "45.7%"),
        (.ratio, 9.2e-6, "0.00092%"),
        (.perSecond, 12_345, "12.3k/s"),
        (.count, 0, "0"),
        (.plain, -1.5, "-1.5"),
        (.plain, .nan, "NaN"),
        (.plain, -.infinity, "-Inf"),
    ])
    func valuesFormattedInTheirScale(_ unit: ChartUnit, _ value: Double, _ text: String) {
        #expect(unit.format(value) == text)
    }

    @Test(arguments: [
        (0.0, 0.93, ChartUnit.ratio, 5, ["0%", "20%", "40%", "60%", "80%", "100%"]),
        (3e9, 4e9, .bytes, 4, ["2.5 GiB", "3.0 GiB", "3.5 GiB", "4.0 GiB"]),
        (5.0, 5.0, .plain, 4, ["4.5", "5.0", "5.5"]),
        (-3.0, 7.0, .count, 5, ["-4", "-2", "0", "2", "4", "6", "8"]),
    ] as [(Double, Double, ChartUnit, Int, [String])])
    func valueAxisOnRoundNumbers(_ low: Double, _ high: Double, _ unit: ChartUnit, _ ticks: Int, _ labels: [String]) {
        #expect(ValueAxis(minimum: low, maximum: high, unit: unit, targetTicks: ticks).labels == labels)
    }

    @Test(arguments: [
        (Int64(1_700_000_000_000), Int64(1_700_003_600_000), 8, ["22:20", "22:30", "22:40", "22:50", "23:00", "23:10"]),
        (1_700_000_000_000, 1_700_000_000_000 + 3 * 86_400_000, 4, ["11-15", "11-16", "11-17"]),
        (1_700_000_000_000, 1_700_000_060_000, 3, ["22:13:30", "22:14:00"]),
    ] as [(Int64, Int64, Int, [String])])
    func timeAxisInUTC(_ start: Int64, _ end: Int64, _ maxTicks: Int, _ labels: [String]) {
        #expect(TimeAxis(start: start, end: end, maxTicks: maxTicks).labels == labels)
    }

    @Test(arguments: [
        (Int64(1_700_000_000_000), "2023-11-14 22:13:20 UTC"),
        (0, "1970-01-01 00:00:00 UTC"),
        (-1, "1969-12-31 23:59:59 UTC"),
        (951_782_400_000, "2000-02-29 00:00:00 UTC"),
    ])
    func calendarDatesInUTC(_ milliseconds: Int64, _ text: String) {
        #expect(UTCDate(milliseconds: milliseconds).text == text)
    }
}
