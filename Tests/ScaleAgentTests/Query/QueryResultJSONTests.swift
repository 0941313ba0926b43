import AlertEngine
import MetricStore
import ScaleAgent
import Testing

/// The shapes of Prometheus' `/api/v1/query` and `/api/v1/query_range` responses.
struct QueryResultJSONTests {
    static let labels = Labels(["__name__": "up", "job": "a\"b"])

    @Test func vector() {
        let value = QueryValue.vector([VectorSample(labels: Self.labels, value: .infinity, timestamp: 1_700_000_000_500)])
        #expect(QueryResultJSON.instant(value, at: 1_700_000_000_500)
            == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a\"b"},"value":[1700000000.5,"+Inf"]}]}}"#)
    }

    @Test func scalarAndString() {
        #expect(QueryResultJSON.instant(.scalar(.nan), at: 1000) == #"{"status":"success","data":{"resultType":"scalar","result":[1,"NaN"]}}"#)
        #expect(QueryResultJSON.instant(.string("a\nb"), at: 1000) == #"{"status":"success","data":{"resultType":"string","result":[1,"a\nb"]}}"#)
    }

    @Test func matrixAndRange() {
        let series = [RangeSeries(labels: Self.labels, points: [Sample(timestamp: 0, value: 1.5), Sample(timestamp: 60_000, value: -2)])]
        let expected = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"a\"b"},"values":[[0,"1.5"],[60,"-2"]]}]}}"#
        #expect(QueryResultJSON.range(series) == expected)
        #expect(QueryResultJSON.instant(.matrix(series), at: 0) == expected)
        #expect(QueryResultJSON.range([]) == #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#)
    }

    @Test func rangeTablesPrintRFC3339Times() {
        let series = [RangeSeries(labels: Self.labels, points: [Sample(timestamp: 1_700_000_000_000, value: 1.5), Sample(timestamp: 1_700_000_060_250, value: -2)])]
        #expect(QueryResultTable.range(series) == PromQLText.labels(Self.labels) + "\n  2023-11-14T22:13:20Z  1.5\n  2023-11-14T22:14:20.25Z  -2")
        #expect(GoTime.rfc3339(unixMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }
}
