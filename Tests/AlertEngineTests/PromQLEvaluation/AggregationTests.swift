import AlertEngine
import Testing

/// Every aggregation operator with by/without, on the data set of Prometheus'
/// aggregators.test.
struct AggregationTests {
    static let httpRequests = """
        load 5m
          http_requests{job="api-server", instance="0", group="production"}	0+10x10
          http_requests{job="api-server", instance="1", group="production"}	0+20x10
          http_requests{job="api-server", instance="0", group="canary"}	0+30x10
          http_requests{job="api-server", instance="1", group="canary"}	0+40x10
          http_requests{job="app-server", instance="0", group="production"}	0+50x10
          http_requests{job="app-server", instance="1", group="production"}	0+60x10
          http_requests{job="app-server", instance="0", group="canary"}	0+70x10
          http_requests{job="app-server", instance="1", group="canary"}	0+80x10

        """

    static let scripts: [PromQLScript] = [
        PromQLScript("sum, avg, count, group, min, max", httpRequests + #"""
            eval instant at 50m sum by (job) (http_requests)
              {job="api-server"} 1000
              {job="app-server"} 2600

            eval instant at 50m sum without (instance) (http_requests)
              {group="canary", job="api-server"} 700
              {group="production", job="api-server"} 300
              {group="canary", job="app-server"} 1500
              {group="production", job="app-server"} 1100

            eval instant at 50m sum(http_requests)
              {} 3600

            eval instant at 50m sum by (__name__) (http_requests)
              http_requests 3600

            eval instant at 50m avg by (job) (http_requests)
              {job="api-server"} 250
              {job="app-server"} 650

            eval instant at 50m count by (group) (http_requests)
              {group="canary"} 4
              {group="production"} 4

            eval instant at 50m group by (job) (http_requests)
              {job="api-server"} 1
              {job="app-server"} 1

            eval instant at 50m min by (job) (http_requests)
              {job="api-server"} 100
              {job="app-server"} 500

            eval instant at 50m max without (instance, group) (http_requests)
              {job="api-server"} 400
              {job="app-server"} 800

            eval instant at 50m sum by (nonexistent) (http_requests)
              {} 3600

            eval instant at 50m sum(nonexistent)
            """#),
        PromQLScript("stddev, stdvar, quantile", httpRequests + #"""
            eval instant at 50m stddev by (job) (http_requests)
              {job="api-server"} 111.80339887498948
              {job="app-server"} 111.80339887498948

            eval instant at 50m stdvar by (job) (http_requests)
              {job="api-server"} 12500
              {job="app-server"} 12500

            eval instant at 50m quantile(0.5, http_requests)
              {} 450

            eval instant at 50m quantile by (job) (0.25, http_requests)
              {job="api-server"} 175
              {job="app-server"} 575

            eval instant at 50m quantile(1.5, http_requests)
              {} +Inf

            clear
            load 5m
              metric{a="1"} 1
              metric{a="2"} NaN
              metric{a="3"} Inf

            eval instant at 0m stddev(metric)
              {} NaN

            eval instant at 0m max(metric)
              {} Inf

            eval instant at 0m min(metric)
              {} 1

            eval instant at 0m sum(metric)
              {} NaN
            """#),
        PromQLScript("sum and avg keep low-order bits (Kahan-Neumaier)", #"""
            load 5m
              data{a="1"} 1e100
              data{a="2"} 1
              data{a="3"} -1e100

            eval instant at 0m sum(data)
              {} 1

            eval instant at 0m avg(data)
              {} 0.3333333333333333
            """#),
        PromQLScript("avg switches to an incremental mean instead of overflowing", #"""
            load 5m
              huge{a="1"} 1.7976931348623157e308
              huge{a="2"} 1.7976931348623157e308
              huge{a="3"} -1.7976931348623157e308

            eval instant at 0m avg(huge)
              {} 5.992310449541053e307
            """#),
        PromQLScript("topk and bottomk keep the series' labels", httpRequests + #"""
            eval_ordered instant at 50m topk(3, http_requests)
              http_requests{group="canary", instance="1", job="app-server"} 800
              http_requests{group="canary", instance="0", job="app-server"} 700
              http_requests{group="production", instance="1", job="app-server"} 600

            eval_ordered instant at 50m topk by (group) (1, http_requests)
              http_requests{group="canary", instance="1", job="app-server"} 800
              http_requests{group="production", instance="1", job="app-server"} 600

            eval_ordered instant at 50m bottomk(2, http_requests)
              http_requests{group="production", instance="0", job="api-server"} 100
              http_requests{group="production", instance="1", job="api-server"} 200

            eval instant at 50m topk(0, http_requests)

            eval instant at 50m topk(9999, http_requests{job="api-server"})
              http_requests{group="production", instance="0", job="api-server"} 100
              http_requests{group="production", instance="1", job="api-server"} 200
              http_requests{group="canary", instance="0", job="api-server"} 300
              http_requests{group="canary", instance="1", job="api-server"} 400

            eval instant at 50m topk(NaN, http_requests)
              expect fail msg: Parameter value is NaN

            eval range from 0 to 10m step 5m topk(1, http_requests{instance="0", group="production"} or http_requests{instance="1", group="production", job="api-server"} * -1 + 25)
              {group="production", instance="1", job="api-server"} 25 _ _
              http_requests{group="production", instance="0", job="app-server"} _ 50 100

            clear
            load 5m
              metric{a="1"} NaN
              metric{a="2"} 3
              metric{a="3"} 1

            eval_ordered instant at 0m topk(2, metric)
              metric{a="2"} 3
              metric{a="3"} 1

            eval_ordered instant at 0m bottomk(2, metric)
              metric{a="3"} 1
              metric{a="2"} 3

            eval_ordered instant at 0m topk(3, metric)
              metric{a="2"} 3
              metric{a="3"} 1
              metric{a="1"} NaN
            """#),
        PromQLScript("count_values", httpRequests + #"""
            eval instant at 50m count_values("value", http_requests{job="api-server"})
              {value="100"} 1
              {value="200"} 1
              {value="300"} 1
              {value="400"} 1

            eval instant at 50m count_values without (instance) ("value", http_requests{job="api-server"})
              {group="production", job="api-server", value="100"} 1
              {group="production", job="api-server", value="200"} 1
              {group="canary", job="api-server", value="300"} 1
              {group="canary", job="api-server", value="400"} 1

            eval instant at 50m count_values by (job) ("job", http_requests{instance="0"} > 400)
              {job="500"} 1
              {job="700"} 1

            clear
            load 5m
              metric{a="1"} 1
              metric{a="2"} 1
              metric{a="3"} 0.000001
              metric{a="4"} 1e21

            eval instant at 0m count_values("v", metric)
              {v="1"} 2
              {v="0.000001"} 1
              {v="1000000000000000000000"} 1

            eval instant at 0m count_values("", metric)
              expect fail msg: invalid label name ""

            eval range from 0 to 4m step 4m count_values("v", metric{a=~"1|2"})
              {v="1"} 2 2
            """#),
        PromQLScript("aggregation over range queries", httpRequests + #"""
            eval range from 0 to 10m step 5m sum by (job) (http_requests)
              {job="api-server"} 0 100 200
              {job="app-server"} 0 260 520

            eval range from 0 to 10m step 5m count by (job) (http_requests > 150)
              {job="app-server"} _ _ 1
            """#),
    ]

    @Test(arguments: scripts)
    func script(_ script: PromQLScript) throws {
        try script.run()
    }
}
