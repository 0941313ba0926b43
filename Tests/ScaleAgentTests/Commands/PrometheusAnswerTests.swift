import AlertEngine
import Foundation
import MetricStore
import Testing

@testable import ScaleAgent

/// The API's answers read back into query values, and what is not one of them refused with a
/// reason.
@Suite struct PrometheusAnswerTests {
    private func data(_ text: String) throws -> Any {
        try AgentClient.data(of: Array(text.utf8), status: 200, url: "u")
    }

    @Test func shapes() throws {
        let labels = Labels(["__name__": "up", "job": "a"])
        #expect(
            try PrometheusAnswer.queryValue(data(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a"},"value":[1700000000.5,"+Inf"]}]}}"#))
                == .vector([VectorSample(labels: labels, value: .infinity, timestamp: 1_700_000_000_500)]))
        #expect(
            try PrometheusAnswer.rangeSeries(data(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"a"},"values":[[0,"1.5"],[60.001,"-Inf"]]}]}}"#))
                == [RangeSeries(labels: labels, points: [Sample(timestamp: 0, value: 1.5), Sample(timestamp: 60_001, value: -.infinity)])])
        guard case .scalar(let nan) = try PrometheusAnswer.queryValue(data(#"{"status":"success","data":{"resultType":"scalar","result":[1,"NaN"]}}"#)) else {
            Issue.record("not a scalar")
            return
        }
        #expect(nan.isNaN)
        #expect(try PrometheusAnswer.labelSets(data(#"{"status":"success","data":[{"__name__":"up","job":"a"}]}"#)) == [labels])
        #expect(try PrometheusAnswer.strings(data(#"{"status":"success","data":["a","b"]}"#)) == ["a", "b"])
    }

    @Test(arguments: [
        (#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}"#, "bad_data: 1:5: parse error: unexpected end of input"),
        (#"{"status":"error"}"#, "error: the agent answered 400 without an error message"),
        ("<html>", "u answered 400 without Prometheus' JSON: <html>"),
    ])
    func refusals(_ body: String, _ expected: String) {
        #expect(throws: AgentClient.Failure(description: expected)) { try AgentClient.data(of: Array(body.utf8), status: 400, url: "u") }
    }

    @Test(arguments: [
        #"{"resultType":"vector","result":[{"metric":{"a":"b"}}]}"#,
        #"{"resultType":"matrix","result":[{"metric":{"a":1},"values":[]}]}"#,
        #"{"resultType":"scalar","result":[1,"x"]}"#,
        #"{"resultType":"scalar","result":[1e300,"1"]}"#,
        #"{"resultType":"histogram","result":[]}"#,
        #"{"result":[]}"#,
    ])
    func malformedDataIsRefused(_ text: String) throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        #expect(throws: PrometheusAnswer.Malformed.self) { try PrometheusAnswer.queryValue(parsed) }
    }
}
