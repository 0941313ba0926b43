import AlertEngine
import Testing

/// Subqueries, from Prometheus' promql/promqltest/testdata/subquery.test: inner steps are
/// absolute multiples of the subquery step, windows are left-open.
struct SubqueryTests {
    static let scripts: [PromQLScript] = [
        PromQLScript("steps aligned to the subquery step", #"""
            load 10s
              metric 1 2

            eval instant at 10s sum_over_time(metric[50s:10s])
              {} 3

            eval instant at 10s sum_over_time(metric[50s:5s])
              {} 4

            eval instant at 5m sum_over_time(metric[50s:10s])
              {} 10

            eval instant at 5m59s sum_over_time(metric[60s:10s])
              {} 2

            eval instant at 10s rate(metric[20s:10s])
              {} 0.1

            eval instant at 20s rate(metric[20s:5s])
              {} 0.06666666666666667
            """#),
        PromQLScript("rates of subqueries", #"""
            load 10s
              http_requests{job="api-server", instance="1", group="production"} 0+20x1000 200+30x1000
              http_requests{job="api-server", instance="0", group="production"} 0+10x1000 100+30x1000
              http_requests{job="api-server", instance="0", group="canary"}  0+30x1000 300+80x1000
              http_requests{job="api-server", instance="1", group="canary"}  0+40x2000

            eval instant at 8000s rate(http_requests{group=~"pro.*"}[1m:10s])
              {job="api-server", instance="0", group="production"} 1
              {job="api-server", instance="1", group="production"} 2

            eval instant at 20000s avg_over_time(rate(http_requests[1m])[1m:1s])
              {job="api-server", instance="0", group="canary"}     8
              {job="api-server", instance="1", group="canary"}     4
              {job="api-server", instance="1", group="production"} 3
              {job="api-server", instance="0", group="production"} 3
            """#),
        PromQLScript("offsets and nesting", #"""
            load 10s
              metric1 0+1x1000
              metric2 0+2x1000
              metric3 0+3x1000

            eval instant at 1000s sum_over_time(metric1[30s:10s])
              {} 297

            eval instant at 1000s sum_over_time(metric1[30s:5s])
              {} 591

            eval instant at 1010s sum_over_time(metric1[30s:10s] offset 10s)
              {} 297

            eval instant at 1010s sum_over_time(metric1[30s:10s] offset 9s)
              {} 297

            eval instant at 1010s sum_over_time(metric1[30s:10s] offset 3s)
              {} 297

            eval instant at 1010s sum_over_time((metric1)[30s:10s] offset 3s)
              {} 297

            eval instant at 1000s rate(sum_over_time(metric1[30s:10s])[50s:10s])
              {} 0.30000000000000004

            eval instant at 1000s rate(sum_over_time(metric2[30s:10s])[50s:10s])
              {} 0.6000000000000001

            eval instant at 1000s rate(sum_over_time((metric1+metric2+metric3)[30s:10s])[30s:10s])
              {} 1.8
            """#),
        PromQLScript("subquery as the whole query, and with @", #"""
            load 10s
              metric 0+1x100

            eval instant at 100s metric[30s:10s]
              metric 8@80s 9@90s 10@100s

            eval instant at 100s metric[30s:10s] @ 50
              metric 3@30s 4@40s 5@50s

            eval instant at 1000s sum_over_time(metric[30s:10s] @ 50)
              {} 12

            eval range from 500s to 520s step 10s sum_over_time(metric[30s:10s] @ 50)
              {} 12 12 12

            eval instant at 100s count_over_time(metric[1m:])
              {} 1
            """#),
    ]

    @Test(arguments: scripts)
    func script(_ script: PromQLScript) throws {
        try script.run()
    }
}
