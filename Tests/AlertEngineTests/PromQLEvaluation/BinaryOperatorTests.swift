import AlertEngine
import Testing

/// Arithmetic and comparisons between scalars and vectors: name dropping, filtering vs
/// `bool`, division by zero, NaN, atan2.
struct BinaryOperatorTests {
    static let scripts: [PromQLScript] = [
        PromQLScript("vector and scalar", AggregationTests.httpRequests + #"""
            eval instant at 50m http_requests{job="api-server", instance="0", group="production"} + 1
              {job="api-server", instance="0", group="production"} 101

            eval instant at 50m 1 - http_requests{job="api-server", instance="0", group="production"}
              {job="api-server", instance="0", group="production"} -99

            eval instant at 50m -http_requests{job="api-server", instance="0", group="production"}
              {job="api-server", instance="0", group="production"} -100

            eval instant at 50m http_requests{job="api-server", instance="0", group="production"} ^ 2 % 7
              {job="api-server", instance="0", group="production"} 4

            eval instant at 50m 2 ^ 3 ^ 2
              512

            eval instant at 50m http_requests > 600
              http_requests{job="app-server", instance="0", group="canary"} 700
              http_requests{job="app-server", instance="1", group="canary"} 800

            eval instant at 50m 600 < http_requests
              http_requests{job="app-server", instance="0", group="canary"} 700
              http_requests{job="app-server", instance="1", group="canary"} 800

            eval instant at 50m http_requests{job="app-server"} >= bool 700
              {job="app-server", instance="0", group="production"} 0
              {job="app-server", instance="1", group="production"} 0
              {job="app-server", instance="0", group="canary"} 1
              {job="app-server", instance="1", group="canary"} 1

            eval instant at 50m http_requests{job="api-server"} == 200
              http_requests{job="api-server", instance="1", group="production"} 200

            eval instant at 50m http_requests{job="api-server"} != 200
              http_requests{job="api-server", instance="0", group="production"} 100
              http_requests{job="api-server", instance="0", group="canary"} 300
              http_requests{job="api-server", instance="1", group="canary"} 400

            eval instant at 50m 1 < bool 2
              1

            eval instant at 50m 2 == bool 2.5
              0

            eval instant at 50m time() / 60 + 2 * 3
              56
            """#),
        PromQLScript("dropping the name can make series collide", #"""
            load 1m
              a{x="1"} 1 1 _ _
              b{x="1"} 2 2 2 2

            eval instant at 1m {__name__=~"a|b"} + 1
              expect fail msg: vector cannot contain metrics with the same labelset

            eval instant at 1m -{__name__=~"a|b"}
              expect fail msg: vector cannot contain metrics with the same labelset

            eval instant at 1m abs({__name__=~"a|b"})
              expect fail msg: vector cannot contain metrics with the same labelset

            eval instant at 1m {__name__=~"a|b"} > bool 1
              expect fail msg: vector cannot contain metrics with the same labelset

            eval instant at 1m {__name__=~"a|b"} > 1
              b{x="1"} 2

            eval instant at 7m {__name__=~"a|b"} + 1
              {x="1"} 3
            """#),
        PromQLScript("division by zero, NaN and Inf", #"""
            load 5m
              x{a="pos"} 1
              x{a="neg"} -1
              x{a="zero"} 0
              x{a="nan"} NaN

            eval instant at 0m x / 0
              {a="pos"} +Inf
              {a="neg"} -Inf
              {a="zero"} NaN
              {a="nan"} NaN

            eval instant at 0m x % 0
              {a="pos"} NaN
              {a="neg"} NaN
              {a="zero"} NaN
              {a="nan"} NaN

            eval instant at 0m x > 0
              x{a="pos"} 1

            eval instant at 0m x == x
              x{a="pos"} 1
              x{a="neg"} -1
              x{a="zero"} 0

            eval instant at 0m x != bool x
              {a="pos"} 0
              {a="neg"} 0
              {a="zero"} 0
              {a="nan"} 1

            eval instant at 0m x + Inf
              {a="pos"} +Inf
              {a="neg"} +Inf
              {a="zero"} +Inf
              {a="nan"} NaN

            eval instant at 0m 1 / 0
              +Inf

            eval instant at 0m -1 % 0
              NaN
            """#),
        PromQLScript("atan2", #"""
            load 5m
              trig{l="x"} 10
              trig{l="y"} 20
              trig{l="0"} 0

            eval instant at 0m trig atan2 2
              {l="x"} 1.3734007669450159
              {l="y"} 1.4711276743037347
              {l="0"} 0

            eval instant at 0m trig{l="y"} atan2 ignoring(l) trig{l="x"}
              {} 1.1071487177940904

            eval instant at 0m 10 atan2 20
              0.4636476090008061
            """#),
    ]

    @Test(arguments: scripts)
    func script(_ script: PromQLScript) throws {
        try script.run()
    }
}
