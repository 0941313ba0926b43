import MetricStore
import Testing

struct LocatedErrorTests {
    @Test func printsFileLineColumnThenWhatWasExpected() {
        let error = LocatedError(file: "conf/agent.yml", line: 12, column: 5, "data_dir must be a string, got a list")
        #expect(error.description == "conf/agent.yml:12:5: data_dir must be a string, got a list")
        #expect(error.location == SourceLocation(file: "conf/agent.yml", line: 12, column: 5))
        #expect(error.location.description == "conf/agent.yml:12:5")
        #expect((error.file, error.line, error.column, error.message) == ("conf/agent.yml", 12, 5, "data_dir must be a string, got a list"))
    }

    @Test func theWholeFileIsNamedWithoutAPosition() {
        #expect(LocatedError(file: "r.yml", line: 0, column: 0, "the file is not UTF-8 text").description == "r.yml: the file is not UTF-8 text")
        #expect(LocatedError(file: "r.yml", line: 7, column: 0, "too long").description == "r.yml:7: too long")
    }

    @Test func shiftingMovesTheLineOnly() {
        let error = LocatedError(file: "in.om", line: 3, column: 7, "expected a value")
        #expect(error.shifted(byLines: 100) == LocatedError(file: "in.om", line: 103, column: 7, "expected a value"))
    }

    @Test func theThreeReadersShareTheType() {
        // OpenMetrics imports here; the config and rule files are the same type in their modules.
        let error: OpenMetricsError = LocatedError(file: "a", line: 1, column: 1, "x")
        #expect(error.description == "a:1:1: x")
    }
}
