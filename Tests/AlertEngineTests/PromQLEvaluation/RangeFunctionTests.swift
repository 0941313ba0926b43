import AlertEngine
import Testing

/// Range-vector functions, cases and expected values from Prometheus'
/// promql/promqltest/testdata/functions.test (Prometheus 3 windows).
struct RangeFunctionTests {
    static let scripts: [PromQLScript] = [
        PromQLScript("resets and changes", #"""
            load 5m
            	http_requests{path="/foo"}	1 2 3 0 1 0 0 1 2 0
            	http_requests{path="/bar"}	1 2 3 4 5 1 2 3 4 5
            	http_requests{path="/biz"}  0 0 0 0 0 1 1 1 1 1

            eval instant at 50m resets(http_requests[5m])

            eval instant at 50m resets(http_requests[10m])
            	{path="/foo"} 0
            	{path="/bar"} 0
            	{path="/biz"} 0

            eval instant at 50m resets(http_requests[20m])
            	{path="/foo"} 1
            	{path="/bar"} 0
            	{path="/biz"} 0

            eval instant at 50m resets(http_requests[32m])
            	{path="/foo"} 2
            	{path="/bar"} 1
            	{path="/biz"} 0

            eval instant at 50m resets(http_requests[50m])
            	{path="/foo"} 3
            	{path="/bar"} 1
            	{path="/biz"} 0

            eval instant at 50m resets(nonexistent_metric[50m])

            eval instant at 50m changes(http_requests[5m])

            eval instant at 50m changes(http_requests[6m])
            	{path="/foo"} 0
            	{path="/bar"} 0
            	{path="/biz"} 0

            eval instant at 50m changes(http_requests[20m])
            	{path="/foo"} 2
            	{path="/bar"} 2
            	{path="/biz"} 0

            eval instant at 50m changes((http_requests[50m]))
            	{path="/foo"} 7
            	{path="/bar"} 8
            	{path="/biz"} 1

            clear
            load 5m
              x{a="b"} NaN NaN NaN
              x{a="c"} 0 NaN 0

            eval instant at 15m changes(x[20m])
              {a="b"} 0
              {a="c"} 2
            """#),
        PromQLScript("increase with extrapolation and counter resets", #"""
            load 5m
            	http_requests_total{path="/foo"}	0+10x10
            	http_requests_total{path="/bar"}	0+18x5 0+18x5
            	http_requests_total{path="/dings"}   10+10x10
            	http_requests_total{path="/bumms"}    1+10x10

            eval instant at 50m increase(http_requests_total[50m])
            	{path="/foo"}   100
            	{path="/bar"}   160
            	{path="/dings"} 100
            	{path="/bumms"} 100

            eval instant at 50m increase(http_requests_total[100m])
            	{path="/foo"}   100
            	{path="/bar"}   162
            	{path="/dings"} 105
            	{path="/bumms"} 101

            clear
            load 5m
            	http_requests_total{path="/foo"}	0 1 2 3 2 3 4

            eval instant at 30m increase(http_requests_total[30m])
                {path="/foo"} 7
            """#),
        PromQLScript("rate", #"""
            load 5m
            	testcounter_reset_middle_total	0+27x4 0+27x5
            	testcounter_reset_end_total  	0+10x9 0 10

            eval instant at 50m rate(testcounter_reset_middle_total[50m])
            	{} 0.08

            eval instant at 50m rate(testcounter_reset_end_total[5m])

            eval instant at 50m rate(testcounter_reset_end_total[6m])
            	{} 0

            clear
            load 5m
            	calculate_rate_offset_total{x="a"}	0+10x10
            	calculate_rate_offset_total{x="b"}	0+20x10
            	calculate_rate_window_total		0+80x10

            eval instant at 50m rate(calculate_rate_window_total[50m])
            	{} 0.26666666666666666

            eval instant at 50m rate(calculate_rate_offset_total[10m] offset 5m)
            	{x="a"} 0.03333333333333333
            	{x="b"} 0.06666666666666667

            clear
            load 4m
            	testcounter_zero_cutoff_total{start="0m"}	0+240x10
            	testcounter_zero_cutoff_total{start="1m"}	60+240x10
            	testcounter_zero_cutoff_total{start="2m"}	120+240x10
            	testcounter_zero_cutoff_total{start="3m"}	180+240x10
            	testcounter_zero_cutoff_total{start="4m"}	240+240x10
            	testcounter_zero_cutoff_total{start="5m"}	300+240x10

            eval instant at 10m rate(testcounter_zero_cutoff_total[20m])
            	{start="0m"} 0.5
            	{start="1m"} 0.55
            	{start="2m"} 0.6
            	{start="3m"} 0.6
            	{start="4m"} 0.6
            	{start="5m"} 0.6

            eval instant at 50m rate(testcounter_zero_cutoff_total[20m])
            	{start="0m"} 0.6
            	{start="1m"} 0.6
            	{start="2m"} 0.6
            	{start="3m"} 0.6
            	{start="4m"} 0.6
            	{start="5m"} 0.6
            """#),
        PromQLScript("irate, delta, idelta", #"""
            load 5m
            	http_requests_total{path="/foo"}	0+10x10
            	http_requests_total{path="/bar"}	0+10x5 0+10x5
            	http_requests_nan{}               1 NaN NaN 5 11

            eval instant at 50m irate(http_requests_total[50m])
            	{path="/foo"} .03333333333333333333
            	{path="/bar"} .03333333333333333333

            eval instant at 30m irate(http_requests_total[50m])
            	{path="/foo"} .03333333333333333333
            	{path="/bar"} 0

            eval range from 0 to 20m step 5m irate(http_requests_nan[15m1s])
            	{} _ NaN NaN NaN 0.02

            clear
            load 5m
            	http_requests{path="/foo"}	0 50 100 150 200
            	http_requests{path="/bar"}	200 150 100 50 0

            eval instant at 20m delta(http_requests[20m])
            	{path="/foo"} 200
            	{path="/bar"} -200

            clear
            load 5m
            	http_requests{path="/foo"}	0 50 100 150
            	http_requests{path="/bar"}	0 50 100 50
            	http_requests_nan{}         1 NaN NaN 5 11

            eval instant at 20m idelta(http_requests[20m])
            	{path="/foo"} 50
            	{path="/bar"} -50

            eval range from 0 to 20m step 5m idelta(http_requests_nan[15m1s])
            	{} _ NaN NaN NaN 6
            """#),
        PromQLScript("deriv and predict_linear", #"""
            load 5m
            	testcounter_reset_middle_total	0+10x4 0+10x5
            	http_requests_total{job="app-server", instance="1", group="canary"}		0+80x10
            	http_requests_inf{job="app-server", instance="1", group="canary"}	-Inf 0+80x10 Inf

            eval instant at 50m deriv(http_requests_total{group="canary", instance="1", job="app-server"}[50m])
            	{group="canary", instance="1", job="app-server"} 0.26666666666666666

            eval instant at 50m deriv(testcounter_reset_middle_total[100m])
            	{} 0.010606060606060607

            eval instant at 100m deriv(http_requests_inf[100m])
            	{job="app-server", instance="1", group="canary"} NaN

            eval instant at 50m predict_linear(testcounter_reset_middle_total[50m], 3600)
            	{} 70

            eval instant at 50m predict_linear(testcounter_reset_middle_total[55m] @ 3000, 3600)
            	{} 76.81818181818181

            eval instant at 10m predict_linear(testcounter_reset_middle_total[55m] @ 3000, 3600)
            	{} 51.36363636363637

            eval instant at 70m predict_linear(testcounter_reset_middle_total[55m] @ 3000, 3600)
            	{} 89.54545454545455
            """#),
        PromQLScript("_over_time functions", #"""
            load 10s
            	data{type="numbers"} 2 0 3
            	data{type="some_nan"} 2 0 NaN
            	data{type="some_nan2"} 2 NaN 1
            	data{type="some_nan3"} NaN 0 1
            	data{type="only_nan"} NaN NaN NaN

            eval instant at 1m min_over_time(data[2m])
            	{type="numbers"} 0
            	{type="some_nan"} 0
            	{type="some_nan2"} 1
            	{type="some_nan3"} 0
            	{type="only_nan"} NaN

            eval instant at 1m max_over_time(data[2m])
            	{type="numbers"} 3
            	{type="some_nan"} 2
            	{type="some_nan2"} 2
            	{type="some_nan3"} 1
            	{type="only_nan"} NaN

            eval instant at 1m last_over_time(data[2m])
            	data{type="numbers"} 3
            	data{type="some_nan"} NaN
            	data{type="some_nan2"} 1
            	data{type="some_nan3"} 1
            	data{type="only_nan"} NaN

            clear
            load 10s
            	metric 1 2 3 4 5
            	metric2 1 2 3 4 Inf
            	metric3 1 2 3 4 -Inf

            eval instant at 1m avg_over_time(metric[2m])
            	{} 3

            eval instant at 1m sum_over_time(metric[2m])
            	{} 15

            eval instant at 1m count_over_time(metric[2m])
            	{} 5

            eval instant at 1m present_over_time(metric[2m])
            	{} 1

            eval instant at 1m avg_over_time(metric2[2m])
            	{} Inf

            eval instant at 1m avg_over_time(metric3[2m])
            	{} -Inf

            eval instant at 1m stdvar_over_time(metric[2m])
            	{} 2

            eval instant at 1m stddev_over_time(metric[2m])
            	{} 1.4142135623730951

            eval instant at 1m quantile_over_time(0.5, metric[2m])
            	{} 3

            eval instant at 1m quantile_over_time(0.25, metric[2m])
            	{} 2

            eval instant at 1m quantile_over_time(2, metric[2m])
            	{} +Inf
            """#),
        PromQLScript("absent_over_time", #"""
            load 1m
            	http_requests{path="/foo",instance="127.0.0.1",job="httpd"}	1+1x10
            	http_requests{path="/bar",instance="127.0.0.1",job="httpd"}	1+1x10
            	httpd_handshake_failures_total{instance="127.0.0.1",job="node"}	1+1x15
            	httpd_log_lines_total{instance="127.0.0.1",job="node"}	1
            	ssl_certificate_expiry_seconds{job="ingress"} NaN NaN NaN NaN NaN

            eval instant at 5m absent_over_time(http_requests[5m])

            eval instant at 5m absent_over_time(rate(nonexistent[5m])[5m:])
            	{} 1

            eval instant at 15m absent_over_time(http_requests[5m])
            	{} 1

            eval instant at 15m absent_over_time(http_requests{handler="/foo"}[5m])
            	{handler="/foo"} 1

            eval instant at 15m absent_over_time(httpd_handshake_failures_total[1m])

            eval instant at 5m absent_over_time(httpd_log_lines_total[30s])
            	{} 1

            eval instant at 0m absent_over_time(httpd_log_lines_total[30s])

            eval instant at 5m absent_over_time({job="ingress"}[4m])

            eval instant at 10m absent_over_time({job="ingress"}[4m])
            	{job="ingress"} 1

            eval instant at 10m absent_over_time(nonexistent{job="testjob", instance="testinstance", method=~".x"}[5m])
            	{instance="testinstance", job="testjob"} 1

            eval range from 0 to 20m step 5m absent_over_time(http_requests{path="/foo"}[5m])
            	{path="/foo"} _ _ _ 1 1
            """#),
        PromQLScript("name dropped, equal results refused", #"""
            load 5m
            	a{x="1"} 0+1x5
            	b{x="1"} 0+1x5
            	c{x="2"} _ _ _ _ _ 5

            eval instant at 25m rate({__name__=~"a|b"}[10m])
            	expect fail msg: vector cannot contain metrics with the same labelset

            eval instant at 25m last_over_time({__name__=~"a|b"}[10m])
            	a{x="1"} 5
            	b{x="1"} 5
            """#),
    ]

    @Test(arguments: scripts)
    func script(_ script: PromQLScript) throws {
        try script.run()
    }
}
