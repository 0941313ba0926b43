import MetricStore
import Testing

@Suite struct LabelsTests {
    @Test func sortedByNameWithLastValueWinningAndEmptyValuesDropped() {
        let labels = Labels([Label("b", "1"), Label("a", "2"), Label("b", "3"), Label("c", "")])
        #expect(labels.pairs == [Label("a", "2"), Label("b", "3")])
        #expect(labels["b"] == "3")
        #expect(labels["c"] == nil)
    }

    @Test func equalSetsAreEqualWhateverTheInputOrder() {
        #expect(Labels(["x": "1", "y": "2"]) == Labels(["y": "2", "x": "1"]))
        #expect(Labels(["x": "1", "y": "2"]).hashValue == Labels(["y": "2", "x": "1"]).hashValue)
    }

    @Test func orderIsLexicographicByPairs() {
        let sorted = [
            Labels(["a": "2"]), Labels(["a": "1", "b": "1"]), Labels(["a": "1"]), Labels.empty,
        ].sorted()
        #expect(sorted == [Labels.empty, Labels(["a": "1"]), Labels(["a": "1", "b": "1"]), Labels(["a": "2"])])
    }

    @Test func metricNameIsTheNameLabel() {
        let labels = Labels(["__name__": "up", "job": "node"])
        #expect(labels.metricName == "up")
        #expect(labels.removing("__name__") == Labels(["job": "node"]))
        #expect(labels.adding("instance", "h:1")["instance"] == "h:1")
    }
}
