import Testing

@testable import AlertEngine

struct PrometheusNamesTests {
    @Test(arguments: [
        ("up", true, true), ("job:up:sum", true, false), (":x", true, false), ("_x9", true, true), ("A_b", true, true),
        ("9x", false, false), ("", false, false), ("a-b", false, false), ("a.b", false, false), ("é", false, false), ("a b", false, false),
    ])
    func checksNames(name: String, isMetricName: Bool, isLabelName: Bool) {
        #expect(PrometheusNames.isValidMetricName(name) == isMetricName)
        #expect(PrometheusNames.isValidLabelName(name) == isLabelName)
    }
}
