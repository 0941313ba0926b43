import NIOHTTP1
import Testing

@testable import ScaleAgent

/// The API over HTTP against a real store: Prometheus' exact JSON, its status codes and
/// error types for every refusal, GET and form POST alike, and the limits of `query:`.
@Suite struct PrometheusAPITests {
    @Test func instantVectorInPrometheusShape() async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get("/api/v1/query?query=up&time=1700000060")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type") == "application/json")
            #expect(
                response.text
                    == #"{"status":"success","data":{"resultType":"vector","result":["#
                    + #"{"metric":{"__name__":"up","instance":"h:1","job":"a"},"value":[1700000060,"1"]},"#
                    + #"{"metric":{"__name__":"up","instance":"h:2","job":"b"},"value":[1700000060,"0"]}]}}"#)
        }
    }

    @Test func rangeQueryByFormPost() async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.post(
                "/api/v1/query_range", form: "query=requests_total%20%2F%2030&start=1700000060&end=1700000090&step=15")
            #expect(response.status == .ok)
            #expect(
                response.text
                    == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},"values":"#
                    + #"[[1700000060,"4"],[1700000075,"5"],[1700000090,"6"]]}]}}"#)
        }
    }

    @Test(arguments: [
        ("/api/v1/query?query=1%2B1&time=1700000000.5", #"{"resultType":"scalar","result":[1700000000.5,"2"]}"#),
        ("/api/v1/query?query=%22hi%22&time=1700000000", #"{"resultType":"string","result":[1700000000,"hi"]}"#),
        (
            "/api/v1/query?query=up%7Bjob%3D%22a%22%7D%5B20s%5D&time=1700000030",
            #"{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"h:1","job":"a"},"values":[[1700000015,"1"],[1700000030,"1"]]}]}"#
        ),
        ("/api/v1/query?query=up&time=1700000060&limit=1", #"{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"h:1","job":"a"},"value":[1700000060,"1"]}]},"warnings":["results truncated due to limit"]"#),
        ("/api/v1/series?match[]=up&limit=1", #"[{"__name__":"up","instance":"h:1","job":"a"}],"warnings":["results truncated due to limit"]"#),
        ("/api/v1/series?match[]=requests_total&match[]=%7Bjob%3D%22a%22%7D", #"[{"__name__":"requests_total","job":"a"},{"__name__":"up","instance":"h:1","job":"a"}]"#),
        ("/api/v1/series?match[]=up&start=1800000000", "[]"),
        ("/api/v1/labels", #"["__name__","instance","job"]"#),
        ("/api/v1/labels?match[]=requests_total", #"["__name__","job"]"#),
        ("/api/v1/labels?match[]=up&start=1800000000", "[]"),
        ("/api/v1/label/job/values", #"["a","b"]"#),
        ("/api/v1/label/instance/values?match[]=up%7Bjob%3D%22b%22%7D", #"["h:2"]"#),
        ("/api/v1/label/__name__/values?limit=1", #"["requests_total"],"warnings":["results truncated due to limit"]"#),
        ("/api/v1/label/nope/values", "[]"),
        ("/api/v1/format_query?query=sum(rate(x%5B5m%5D))by(job)", #""sum by (job) (rate(x[5m]))""#),
        ("/api/v1/query_exemplars?query=up", "[]"),
        ("/api/v1/metadata?metric=up", #"{"up":[{"type":"gauge","help":"Whether the target is up.","unit":""}]}"#),
        ("/api/v1/metadata?limit=1", #"{"requests_total":[{"type":"counter","help":"Requests served.","unit":""}]}"#),
        ("/api/v1/status/buildinfo", #"{"version":"\#(ScaleAgentVersion.current)","revision":"","branch":"","buildUser":"","buildDate":"","goVersion":""}"#),
        ("/api/v1/status/flags", #"{"query.timeout":"30s","storage.tsdb.path":"/data"}"#),
        ("/api/v1/status/config", #"{"yaml":"listen_address: 127.0.0.1:0\n"}"#),
    ])
    func successes(_ uri: String, _ data: String) async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get(uri)
            #expect(response.status == .ok)
            #expect(response.text == #"{"status":"success","data":"# + data + (data.contains("warnings") ? "}" : "}"))
        }
    }

    @Test func runtimeInfoAndTSDBStatus() async throws {
        try await APIServerUnderTest.with { server in
            let runtime = try await server.get("/api/v1/status/runtimeinfo").text
            #expect(runtime.contains(#""startTime":"2023-11-14T22:13:20Z""#))
            #expect(runtime.contains(#""lastConfigTime":"2023-11-14T22:13:20.5Z""#))
            #expect(runtime.contains(#""reloadConfigSuccess":true"#))
            let tsdb = try await server.get("/api/v1/status/tsdb").text
            #expect(tsdb.contains(#""headStats":{"numSeries":3,"numLabelPairs":6,"#))
            #expect(tsdb.contains(#""seriesCountByMetricName":[{"name":"up","value":2},{"name":"requests_total","value":1}]"#))
            #expect(tsdb.contains(#""labelValueCountByLabelName":[{"name":"__name__","value":2},{"name":"instance","value":2},{"name":"job","value":2}]"#))
        }
    }

    @Test(arguments: [
        ("/api/v1/query?query=up%5B", 400, "bad_data", #"invalid parameter \"query\": parse error"#),
        ("/api/v1/query?query=up&time=soon", 400, "bad_data", #"invalid parameter \"time\": invalid time value for 'time': cannot parse \"soon\" to a valid timestamp"#),
        ("/api/v1/query?query=up&timeout=x", 400, "bad_data", #"invalid parameter \"timeout\": cannot parse \"x\" to a valid duration"#),
        ("/api/v1/query?query=up&limit=-2", 400, "bad_data", #"invalid parameter \"limit\": limit must be non-negative"#),
        ("/api/v1/query?query=up&lookback_delta=x", 400, "bad_data", #"error parsing lookback delta duration: cannot parse \"x\" to a valid duration"#),
        ("/api/v1/query?query=", 400, "bad_data", #"invalid parameter \"query\""#),
        ("/api/v1/query_range?query=up&end=1&step=1", 400, "bad_data", #"invalid parameter \"start\": cannot parse \"\" to a valid timestamp"#),
        ("/api/v1/query_range?query=up&start=1&step=1", 400, "bad_data", #"invalid parameter \"end\": cannot parse \"\" to a valid timestamp"#),
        ("/api/v1/query_range?query=up&start=2&end=1&step=1", 400, "bad_data", #"invalid parameter \"end\": end timestamp must not be before start time"#),
        ("/api/v1/query_range?query=up&start=1&end=2", 400, "bad_data", #"invalid parameter \"step\": cannot parse \"\" to a valid duration"#),
        ("/api/v1/query_range?query=up&start=1&end=2&step=0", 400, "bad_data", #"invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer"#),
        ("/api/v1/query_range?query=up&start=0&end=11001&step=1", 400, "bad_data", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"),
        ("/api/v1/query_range?query=up%5B5m%5D&start=1&end=2&step=1", 400, "bad_data", #"invalid parameter \"query\": invalid expression type \"range vector\" for range query, must be Scalar or instant Vector"#),
        ("/api/v1/query?query=up%20%2B%20on()%20up&time=1700000060", 422, "execution", "many-to-many matching not allowed"),
        ("/api/v1/query?query=topk(%22x%22%2C%20up)&time=1700000060", 400, "bad_data", #"invalid parameter \"query\""#),
        ("/api/v1/series", 400, "bad_data", "no match[] parameter provided"),
        ("/api/v1/series?match[]=%7Bjob%3D~%22.*%22%7D", 400, "bad_data", #"invalid parameter \"match[]\": parse error at char 0: vector selector must contain at least one non-empty matcher"#),
        ("/api/v1/series?match[]=up&start=x", 400, "bad_data", #"invalid parameter \"start\": invalid time value for 'start'"#),
        ("/api/v1/labels?match[]=%7B", 400, "bad_data", "parse error"),
        ("/api/v1/label/1x/values", 400, "bad_data", #"invalid label name: \"1x\""#),
        ("/api/v1/query?query=up&time=%zz", 400, "bad_data", "error parsing form values: invalid URL escape"),
        ("/api/v1/query_exemplars?query=up&start=2&end=1", 400, "bad_data", "end timestamp must not be before start timestamp"),
        ("/api/v1/metadata?limit=x", 400, "bad_data", "limit must be a number"),
        ("/api/v1/status/tsdb?limit=0", 400, "bad_data", "limit must be a positive number"),
    ])
    func refusals(_ uri: String, _ status: Int, _ errorType: String, _ message: String) async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get(uri)
            #expect(response.status.code == UInt(status))
            #expect(response.headers.first(name: "Content-Type") == "application/json")
            #expect(response.text.hasPrefix(#"{"status":"error","errorType":"\#(errorType)","error":""#))
            #expect(response.text.contains(message))
        }
    }

    @Test func methodsOtherThanGetAndPostAre405() async throws {
        try await APIServerUnderTest.with { server in
            let response = try await TestHTTPConnection.send(.DELETE, port: server.port, "/api/v1/query?query=up")
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers.first(name: "Allow") == "GET, POST, HEAD")
            #expect(try await TestHTTPConnection.send(.POST, port: server.port, "/api/v1/status/buildinfo").status == .methodNotAllowed)
        }
    }

    @Test func aFormBodyWinsOverTheQueryString() async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.post("/api/v1/query?query=nothing&time=1700000060", form: "query=requests_total")
            #expect(response.text.contains(#""__name__":"requests_total""#))
            #expect(response.text.contains(#""value":[1700000060,"120"]"#))
        }
    }

    @Test func tooManySamplesIs422WithPrometheusMessage() async throws {
        var settings = QuerySettings()
        settings.maxSamples = 100
        try await APIServerUnderTest.with(settings: settings) { server in
            let small = try await server.get("/api/v1/query?query=up%5B5m%5D&time=1700000300")
            #expect(small.status == .ok)
            let large = try await server.get("/api/v1/query?query=count_over_time(up%5B1h%5D)&time=1700003600")
            #expect(large.status.code == 422)
            #expect(
                large.text
                    == #"{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}"#)
        }
    }

    @Test func aQueryPastItsDeadlineIs503Timeout() async throws {
        var settings = QuerySettings()
        settings.timeout = .zero
        try await APIServerUnderTest.with(settings: settings) { server in
            let response = try await server.get("/api/v1/query?query=up&time=1700000060")
            #expect(response.status == .serviceUnavailable)
            #expect(response.text == #"{"status":"error","errorType":"timeout","error":"query timed out in expanding series"}"#)
        }
    }

    @Test func maxSeriesBoundsSeriesAndLabelCalls() async throws {
        var settings = QuerySettings()
        settings.maxSeries = 1
        try await APIServerUnderTest.with(settings: settings) { server in
            let series = try await server.get("/api/v1/series?match[]=up")
            #expect(series.text.hasSuffix(#"}],"warnings":["results truncated due to limit"]}"#))
            let values = try await server.get("/api/v1/label/job/values")
            #expect(values.text == #"{"status":"success","data":["a"],"warnings":["results truncated due to limit"]}"#)
        }
    }

    @Test func statsAreInTheDataWhenAsked() async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get("/api/v1/query?query=up&time=1700000060&stats=true")
            #expect(response.text.contains(#""stats":{"timings":{"evalTotalTime":"#))
            #expect(response.text.contains(#""samples":{"totalQueryableSamples":"#))
        }
    }

    @Test func federateServesTheNewestSamplesWithTimestamps() async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get("/federate?match[]=up&match[]=requests_total")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(
                response.text == """
                    # TYPE requests_total untyped
                    requests_total{job="a",site="x"} 7200 1700003600000
                    # TYPE up untyped
                    up{instance="h:1",job="a",site="x"} 1 1700003600000
                    up{instance="h:2",job="b",site="x"} 0 1700003600000

                    """)
            let bad = try await server.get("/federate?match[]=%7B")
            #expect(bad.status == .badRequest)
        }
    }
}
