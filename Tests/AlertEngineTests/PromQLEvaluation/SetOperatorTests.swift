import AlertEngine
import Testing

/// and/or/unless, many-to-many by signature, labels unchanged.
struct SetOperatorTests {
    static let scripts: [PromQLScript] = [
        PromQLScript("and, or, unless", AggregationTests.httpRequests + #"""
            eval instant at 50m http_requests{group="canary"} and http_requests{instance="0"}
              http_requests{group="canary", instance="0", job="api-server"} 300
              http_requests{group="canary", instance="0", job="app-server"} 700

            eval instant at 50m (http_requests{group="canary"} + 1) and http_requests{instance="0"}
              {group="canary", instance="0", job="api-server"} 301
              {group="canary", instance="0", job="app-server"} 701

            eval instant at 50m (http_requests{group="canary"} + 1) and on(instance, job) http_requests{instance="0", group="production"}
              {group="canary", instance="0", job="api-server"} 301
              {group="canary", instance="0", job="app-server"} 701

            eval instant at 50m http_requests{group="canary"} and ignoring(group) http_requests{instance="0", group="production"}
              http_requests{group="canary", instance="0", job="api-server"} 300
              http_requests{group="canary", instance="0", job="app-server"} 700

            eval instant at 50m (http_requests{group="canary"} + 1) or http_requests{instance="1"}
              {group="canary", instance="0", job="api-server"} 301
              {group="canary", instance="1", job="api-server"} 401
              {group="canary", instance="0", job="app-server"} 701
              {group="canary", instance="1", job="app-server"} 801
              http_requests{group="production", instance="1", job="api-server"} 200
              http_requests{group="production", instance="1", job="app-server"} 600

            eval instant at 50m (http_requests{group="canary"} + 1) or on(instance) (http_requests or cpu_count or vector_matching_a)
              {group="canary", instance="0", job="api-server"} 301
              {group="canary", instance="1", job="api-server"} 401
              {group="canary", instance="0", job="app-server"} 701
              {group="canary", instance="1", job="app-server"} 801

            eval instant at 50m http_requests{group="canary"} unless http_requests{instance="0"}
              http_requests{group="canary", instance="1", job="api-server"} 400
              http_requests{group="canary", instance="1", job="app-server"} 800

            eval instant at 50m http_requests{group="canary"} unless on(job) http_requests{instance="0"}

            eval instant at 50m http_requests{group="canary"} unless on(job, instance) http_requests{instance="0"}
              http_requests{group="canary", instance="1", job="api-server"} 400
              http_requests{group="canary", instance="1", job="app-server"} 800

            eval instant at 50m http_requests{group="canary"} unless nonexistent
              http_requests{group="canary", instance="0", job="api-server"} 300
              http_requests{group="canary", instance="1", job="api-server"} 400
              http_requests{group="canary", instance="0", job="app-server"} 700
              http_requests{group="canary", instance="1", job="app-server"} 800

            eval instant at 50m nonexistent and http_requests
            """#),
        PromQLScript("or fills gaps step by step", #"""
            load 1m
              a{x="1"} 1 _ _ _ _ _ _ 1
              b{x="1"} 2 2 2 2 2 2 2 2

            eval range from 0 to 7m step 1m a or b
              a{x="1"} 1 1 1 1 1 _ _ 1
              b{x="1"} _ _ _ _ _ 2 2 _

            eval range from 0 to 7m step 1m (a or b) * 0 + 1
              {x="1"} 1 1 1 1 1 1 1 1

            eval range from 0 to 7m step 1m (a + 0) or (b + 0)
              {x="1"} 1 1 1 1 1 2 2 1
            """#),
    ]

    @Test(arguments: scripts)
    func script(_ script: PromQLScript) throws {
        try script.run()
    }
}
