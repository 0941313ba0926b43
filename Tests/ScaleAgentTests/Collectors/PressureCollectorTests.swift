import Testing
@testable import ScaleAgent

@Suite struct PressureCollectorTests {
    @Test func parsesSomeAndFull() throws {
        let text = """
            some avg10=0.24 avg60=1.88 avg300=1.68 total=8447991
            full avg10=0.16 avg60=1.76 avg300=1.63 total=8289498

            """
        let pressure = try PressureCollector.parse(text, file: "io")
        #expect(pressure.some == .init(avg10: 0.0024, avg60: 0.0188, avg300: 0.0168, totalSeconds: 8.447991))
        #expect(pressure.full == .init(avg10: 0.0016, avg60: 0.0176, avg300: 0.0163, totalSeconds: 8.289498))
    }

    @Test func cpuBeforeLinux513HasNoFullLine() throws {
        let pressure = try PressureCollector.parse("some avg10=1.00 avg60=0.50 avg300=0.10 total=2723072\n", file: "cpu")
        #expect(pressure.full == nil)
        #expect(pressure.some.avg10 == 0.01)
    }

    @Test func linesOfAnUnknownKindAreSkipped() throws {
        let text = "some avg10=0.00 avg60=0.00 avg300=0.00 total=1\nnew avg10=x\n"
        #expect(try PressureCollector.parse(text, file: "cpu").some.totalSeconds == 0.000001)
    }

    @Test(arguments: [
        ("", 0, "missing the 'some' line"),
        ("full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", 0, "missing the 'some' line"),
        ("some avg10=0.00 avg60=0.00 avg300=0.00\n", 1, "expected avg10, avg60, avg300 and total"),
        ("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10 avg60=0 avg300=0 total=0\n", 2, "'key=value'"),
        ("some avg10=0.00 avg60=0.00 avg300=0.00 total=-3\n", 1, "total: expected microseconds"),
        ("some avg10=0.00 avg60=high avg300=0.00 total=0\n", 1, "avg60: expected a percentage"),
        ("some avg10=-1 avg60=0.00 avg300=0.00 total=0\n", 1, "avg10: expected a percentage"),
        ("some avg10=0.00 avg60=0.00 avg300=nan total=0\n", 1, "avg300: expected a percentage"),
        ("some avg10=0.00 avg60=0.00 avg300=1e2 total=0\n", 1, "avg300: expected a percentage"),
    ])
    func rejectsMalformed(text: String, line: Int, expected: String) {
        let error = #expect(throws: ParseError.self) { try PressureCollector.parse(text, file: "pressure/io") }
        #expect(error?.file == "pressure/io")
        #expect(error?.line == line)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func collectsFromFixture() throws {
        let families = try collect(Fixtures.paths)
        #expect(
            families.map(\.name) == [
                "node_pressure_cpu_waiting_seconds_total", "node_pressure_cpu_stalled_seconds_total",
                "scalewatch_pressure_ratio",
                "node_pressure_io_waiting_seconds_total", "node_pressure_io_stalled_seconds_total",
                "node_pressure_memory_waiting_seconds_total", "node_pressure_memory_stalled_seconds_total",
            ])
        #expect(families.value("node_pressure_cpu_waiting_seconds_total") == 15.734496)
        #expect(families.value("node_pressure_io_stalled_seconds_total") == 8.289498)
        #expect(families.value("node_pressure_memory_stalled_seconds_total") == 0)
        #expect(families.value("scalewatch_pressure_ratio", ["resource": "cpu", "kind": "some", "window": "10s"]) == 0.3368)
        #expect(families.value("scalewatch_pressure_ratio", ["resource": "io", "kind": "full", "window": "300s"]) == 0.0163)
        // 3 resources × some and full × 3 windows.
        #expect(families.first { $0.name == "scalewatch_pressure_ratio" }?.samples.count == 18)
        let io = families.first { $0.name == "node_pressure_io_waiting_seconds_total" }
        #expect(io?.help == "Total time in seconds that processes have waited due to IO congestion")
        #expect(io?.type == .counter)
    }

    @Test func aKernelWithoutPSIReportsNothing() throws {
        let paths = HostPaths(procfs: Fixtures.directory + "/no-such-proc")
        #expect(try collect(paths).isEmpty)
    }

    @Test func aMissingResourceFileIsSkipped() throws {
        let families = try collect(HostPaths(procfs: Fixtures.directory + "/psi-partial"))
        #expect(families.map(\.name) == [
            "node_pressure_io_waiting_seconds_total", "node_pressure_io_stalled_seconds_total", "scalewatch_pressure_ratio",
        ])
    }

    private func collect(_ paths: HostPaths) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try PressureCollector(paths: paths).collect(into: &builder)
        return builder.build()
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
