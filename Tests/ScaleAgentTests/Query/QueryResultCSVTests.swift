import AlertEngine
import MetricStore
import ScaleAgent
import Testing

/// `--output csv`: a column per label any row has, Unix seconds, values as Prometheus writes
/// them, and RFC 4180 quoting where a value needs it.
@Suite struct QueryResultCSVTests {
    @Test func vectorWithDifferentLabels() {
        let value = QueryValue.vector([
            VectorSample(labels: Labels(["__name__": "up", "job": "a,b"]), value: 1, timestamp: 1_700_000_000_500),
            VectorSample(labels: Labels(["instance": "say \"hi\""]), value: .nan, timestamp: 1_700_000_000_500),
        ])
        #expect(QueryResultCSV.instant(value, at: 0) == #"""
            __name__,instance,job,timestamp,value
            up,,"a,b",1700000000.5,1
            ,"say ""hi""",,1700000000.5,NaN

            """#)
    }

    @Test func rangeScalarAndLookups() {
        let series = [RangeSeries(labels: Labels(["job": "a"]), points: [Sample(timestamp: 0, value: 1.5), Sample(timestamp: 15_000, value: .infinity)])]
        #expect(QueryResultCSV.range(series) == "job,timestamp,value\na,0,1.5\na,15,+Inf\n")
        #expect(QueryResultCSV.instant(.scalar(2), at: 1_000) == "timestamp,value\n1,2\n")
        #expect(QueryResultCSV.range([]) == "timestamp,value\n")
        #expect(QueryResultCSV.series([Labels(["__name__": "up", "job": "a"]), Labels(["__name__": "x"])]) == "__name__,job\nup,a\nx,\n")
        #expect(QueryResultCSV.strings(["a", "b\nc"], header: "job") == "job\na\n\"b\nc\"\n")
    }
}
