import MetricStore
import Testing
@testable import ScaleAgent

@Suite struct MetricsBuilderTests {
    @Test func interleavedSamplesGoToTheirFamiliesInFirstSeenOrder() {
        var builder = MetricsBuilder()
        for device in ["eth0", "lo"] {
            builder.gauge("node_network_mtu_bytes", "MTU.", 1500, ["device": device])
            builder.counter("node_network_carrier_changes_total", "Changes.", 2, ["device": device])
            builder.untypedInTextCounter("node_vmstat_pgfault", "Faults.", 3, ["device": device])
        }
        builder.gauge("node_network_mtu_bytes", "MTU.", 9000, ["device": "jumbo"])
        let families = builder.build()
        #expect(families.map(\.name) == ["node_network_mtu_bytes", "node_network_carrier_changes_total", "node_vmstat_pgfault"])
        #expect(families.map(\.samples.count) == [3, 2, 2])
        #expect(families[0].samples.map(\.value) == [1500, 1500, 9000])
        #expect(families.map(\.untypedInText) == [false, false, true])
    }

    @Test func appendMergesFamiliesAndAppendCheckedLeavesConflictsOut() {
        var builder = MetricsBuilder()
        builder.gauge("a", "A.", 1)
        builder.append(contentsOf: [
            MetricFamily(name: "a", help: "A.", type: .gauge, samples: [MetricSample(labels: Labels(["x": "1"]), value: 2)]),
            MetricFamily(name: "b", help: "B.", type: .counter, samples: [MetricSample(labels: .empty, value: 3)]),
        ])
        let conflicts = builder.appendChecked(contentsOf: [
            MetricFamily(name: "b", help: "B.", type: .gauge, samples: [MetricSample(labels: .empty, value: 4)]),
            MetricFamily(name: "c", help: "C.", type: .gauge, samples: [MetricSample(labels: .empty, value: 5)]),
        ])
        #expect(conflicts == ["b"])
        builder.gauge("c", "C.", 6, ["y": "2"])
        let families = builder.build()
        #expect(families.map(\.name) == ["a", "b", "c"])
        #expect(families.map { $0.samples.map(\.value) } == [[1, 2], [3], [5, 6]])
        #expect(families[1].type == .counter)
    }
}
