import AlertEngine
import Testing

/// Functions of instant vectors and conversions.
struct InstantFunctionTests {
    static let scripts: [PromQLScript] = [
        PromQLScript("math functions drop the name", #"""
            load 5m
              test{x="a"} -1.5
              test{x="b"} 2.5
              test{x="c"} 16

            eval instant at 0m abs(test)
              {x="a"} 1.5
              {x="b"} 2.5
              {x="c"} 16

            eval instant at 0m ceil(test)
              {x="a"} -1
              {x="b"} 3
              {x="c"} 16

            eval instant at 0m floor(test)
              {x="a"} -2
              {x="b"} 2
              {x="c"} 16

            eval instant at 0m round(test)
              {x="a"} -1
              {x="b"} 3
              {x="c"} 16

            eval instant at 0m round(test, 5)
              {x="a"} 0
              {x="b"} 5
              {x="c"} 15

            eval instant at 0m sqrt(test{x="c"})
              {x="c"} 4

            eval instant at 0m sqrt(test{x="a"})
              {x="a"} NaN

            eval instant at 0m log2(test{x="c"})
              {x="c"} 4

            eval instant at 0m log10(test{x="c"})
              {x="c"} 1.2041199826559248

            eval instant at 0m ln(test{x="c"})
              {x="c"} 2.772588722239781

            eval instant at 0m exp(test{x="b"})
              {x="b"} 12.182493960703473

            eval instant at 0m sgn(test)
              {x="a"} -1
              {x="b"} 1
              {x="c"} 1

            eval instant at 0m clamp(test, 0, 10)
              {x="a"} 0
              {x="b"} 2.5
              {x="c"} 10

            eval instant at 0m clamp(test, 10, 0)

            eval instant at 0m clamp_min(test, 2)
              {x="a"} 2
              {x="b"} 2.5
              {x="c"} 16

            eval instant at 0m clamp_max(test, 2)
              {x="a"} -1.5
              {x="b"} 2
              {x="c"} 2
            """#),
        PromQLScript("time, vector, scalar, timestamp, date functions", #"""
            load 1m
              metric{a="1"} 1 _ _ 4
              metric{a="2"} 7
              epoch 1700000000

            eval instant at 5m time()
              300

            eval instant at 5m vector(time())
              {} 300

            eval instant at 0m scalar(metric{a="1"})
              1

            eval instant at 0m scalar(metric)
              NaN

            eval instant at 0m scalar(nonexistent)
              NaN

            eval instant at 2m timestamp(metric)
              {a="1"} 0
              {a="2"} 0

            eval instant at 3m30s timestamp(metric)
              {a="1"} 180
              {a="2"} 0

            eval instant at 3m30s timestamp(metric + 1)
              {a="1"} 210
              {a="2"} 210

            eval instant at 0m minute(epoch)
              {} 13

            eval instant at 0m hour(epoch)
              {} 22

            eval instant at 0m day_of_week(epoch)
              {} 2

            eval instant at 0m day_of_month(epoch)
              {} 14

            eval instant at 0m day_of_year(epoch)
              {} 318

            eval instant at 0m days_in_month(epoch)
              {} 30

            eval instant at 0m month(epoch)
              {} 11

            eval instant at 0m year(epoch)
              {} 2023

            eval instant at 1h30m hour()
              {} 1

            eval instant at 1h30m minute()
              {} 30

            eval instant at 0m year()
              {} 1970

            eval instant at 0m pi()
              3.141592653589793
            """#),
        PromQLScript("sort and sort_desc", #"""
            load 5m
              s{a="1"} 3
              s{a="2"} NaN
              s{a="3"} 1
              s{a="4"} 2

            eval_ordered instant at 0m sort(s)
              s{a="3"} 1
              s{a="4"} 2
              s{a="1"} 3
              s{a="2"} NaN

            eval_ordered instant at 0m sort_desc(s)
              s{a="1"} 3
              s{a="4"} 2
              s{a="3"} 1
              s{a="2"} NaN

            eval range from 0 to 4m step 4m sort(s)
              s{a="1"} 3 3
              s{a="2"} NaN NaN
              s{a="3"} 1 1
              s{a="4"} 2 2
            """#),
        PromQLScript("absent", #"""
            load 5m
              http_requests{job="api-server", instance="0"} 1

            eval instant at 0m absent(http_requests)

            eval instant at 0m absent(nonexistent)
              {} 1

            eval instant at 0m absent(nonexistent{job="testjob", instance="testinstance", method=~".x"})
              {instance="testinstance", job="testjob"} 1

            eval instant at 0m absent(nonexistent{job="testjob", job="testjob2", foo="bar"})
              {foo="bar"} 1

            eval instant at 0m absent(nonexistent{job="testjob",job!="testjob2",foo="bar"})
              {foo="bar"} 1

            eval instant at 0m absent(sum(nonexistent{job="testjob"}))
              {} 1

            eval instant at 0m absent(http_requests{job="other"} > 0)
              {} 1

            eval range from 0 to 10m step 5m absent(http_requests)
              {} _ 1 1
            """#),
        PromQLScript("label_replace and label_join", #"""
            load 5m
              testmetric{src="source-value-10",dst="original-destination-value"} 0
              testmetric{src="source-value-20",dst="original-destination-value"} 1

            eval instant at 0m label_replace(testmetric, "dst", "destination-value-$1", "src", "source-value-(.*)")
              testmetric{src="source-value-10",dst="destination-value-10"} 0
              testmetric{src="source-value-20",dst="destination-value-20"} 1

            eval instant at 0m label_replace(testmetric, "dst", "destination-value-$1", "src", "value-(.*)")
              testmetric{src="source-value-10",dst="original-destination-value"} 0
              testmetric{src="source-value-20",dst="original-destination-value"} 1

            eval instant at 0m label_replace(testmetric, "dst", "", "dst", ".*")
              testmetric{src="source-value-10"} 0
              testmetric{src="source-value-20"} 1

            eval instant at 0m label_replace(testmetric, "src", "", "", "")
              expect fail msg: vector cannot contain metrics with the same labelset

            eval instant at 0m label_replace(testmetric, "dst", "x", "src", "(.*")
              expect fail msg: invalid regular expression in label_replace(): (.*

            eval instant at 0m label_join(testmetric, "dst", "-", "src", "src", "src")
              testmetric{src="source-value-10",dst="source-value-10-source-value-10-source-value-10"} 0
              testmetric{src="source-value-20",dst="source-value-20-source-value-20-source-value-20"} 1

            eval instant at 0m label_join(testmetric, "dst", ", ")
              testmetric{src="source-value-10"} 0
              testmetric{src="source-value-20"} 1
            """#),
        PromQLScript("histogram_quantile", #"""
            load 5m
              testhistogram_bucket{le="0.1", start="positive"}	0+5x10
              testhistogram_bucket{le=".2", start="positive"}	0+7x10
              testhistogram_bucket{le="1e0", start="positive"}	0+11x10
              testhistogram_bucket{le="+Inf", start="positive"}	0+12x10
              testhistogram_bucket{le="-.2", start="negative"}	0+1x10
              testhistogram_bucket{le="-0.1", start="negative"}	0+2x10
              testhistogram_bucket{le="0.3", start="negative"}	0+2x10
              testhistogram_bucket{le="+Inf", start="negative"}	0+3x10
              testhistogram_bucket{start="nobound"}	0+3x10

            eval instant at 50m histogram_quantile(0, testhistogram_bucket)
              {start="positive"} 0
              {start="negative"} -0.2

            eval instant at 50m histogram_quantile(0.2, testhistogram_bucket)
              {start="positive"} 0.048
              {start="negative"} -0.2

            eval instant at 50m histogram_quantile(0.5, testhistogram_bucket)
              {start="positive"} 0.15
              {start="negative"} -0.15

            eval instant at 50m histogram_quantile(0.8, testhistogram_bucket)
              {start="positive"} 0.72
              {start="negative"} 0.3

            eval instant at 50m histogram_quantile(1.01, testhistogram_bucket)
              {start="positive"} +Inf
              {start="negative"} +Inf

            eval instant at 50m histogram_quantile(0.5, rate(testhistogram_bucket[10m]))
              {start="positive"} 0.15
              {start="negative"} -0.15

            eval instant at 50m histogram_quantile(0.5, sum by (le) (testhistogram_bucket))
              {} 0.3875

            eval range from 0 to 10m step 5m histogram_quantile(0.5, testhistogram_bucket{start="positive"})
              {start="positive"} NaN 0.15 0.15
            """#),
    ]

    @Test(arguments: scripts)
    func script(_ script: PromQLScript) throws {
        try script.run()
    }
}
