import AlertEngine
import Testing

/// Instant and range selectors: lookback, stale markers, offset, @, the matrix an instant
/// query of a range selector returns, no data.
struct SelectorTests {
    static let scripts: [PromQLScript] = [
        PromQLScript("lookback window is (t-5m, t]", #"""
            load 1m
              metric{a="1"} 0+1x10

            eval instant at 10m metric
              metric{a="1"} 10

            eval instant at 14m59s metric
              metric{a="1"} 10

            eval instant at 15m metric

            eval instant at 30s metric
              metric{a="1"} 0

            eval instant at 10m nonexistent
            """#),
        PromQLScript("stale marker ends a series", #"""
            load 1m
              gone{a="1"} 1 2 stale 4
              kept{a="1"} 1 2 _ _

            eval instant at 1m30s gone
              gone{a="1"} 2

            eval instant at 2m gone

            eval instant at 2m30s gone

            eval instant at 3m gone
              gone{a="1"} 4

            eval instant at 2m30s kept
              kept{a="1"} 2

            eval instant at 2m count_over_time(gone[5m])
              {a="1"} 2

            eval range from 0 to 4m step 1m gone
              gone{a="1"} 1 2 _ 4 4
            """#),
        PromQLScript("offset and @", #"""
            load 1m
              metric 0+1x10

            eval instant at 10m metric offset 5m
              metric 5

            eval instant at 10m metric offset -2m
              metric 10

            eval instant at 5m metric offset -2m
              metric 7

            eval instant at 10m metric @ 120
              metric 2

            eval instant at 10m metric @ 300 offset 1m
              metric 4

            eval instant at 10m metric @ start()
              metric 10

            eval range from 2m to 4m step 1m metric @ end()
              metric 4 4 4

            eval range from 2m to 4m step 1m metric @ start()
              metric 2 2 2

            eval range from 2m to 4m step 1m metric offset 1m
              metric 1 2 3

            eval instant at 10m timestamp(metric @ 150)
              {} 120
            """#),
        PromQLScript("range selector as the whole query", #"""
            load 1m
              metric{a="1"} 0+1x10 stale
              other{a="2"} 5

            eval instant at 10m metric[3m]
              metric{a="1"} 8@8m 9@9m 10@10m

            eval instant at 11m metric[3m]
              metric{a="1"} 9@9m 10@10m

            eval instant at 10m {a=~"1|2"}[3m]
              metric{a="1"} 8@8m 9@9m 10@10m

            eval instant at 10m metric[3m] offset 5m
              metric{a="1"} 3@3m 4@4m 5@5m
            """#),
    ]

    /// Prometheus 2 closes every window at its start: the same data gives one sample more.
    static let prometheus2Scripts: [PromQLScript] = [
        PromQLScript("Prometheus 2 windows include their start", #"""
            load 1m
              metric 0+1x10

            eval instant at 10m count_over_time(metric[3m])
              {} 4

            eval instant at 15m metric
              metric 10

            eval instant at 10m metric[2m]
              metric 8@8m 9@9m 10@10m

            eval instant at 10m count_over_time(metric[2m:1m])
              {} 3
            """#, windowStart: .included),
        PromQLScript("Prometheus 3 windows exclude their start", #"""
            load 1m
              metric 0+1x10

            eval instant at 10m count_over_time(metric[3m])
              {} 3

            eval instant at 10m count_over_time(metric[2m:1m])
              {} 2
            """#),
    ]

    @Test(arguments: scripts + prometheus2Scripts)
    func script(_ script: PromQLScript) throws {
        try script.run()
    }
}
