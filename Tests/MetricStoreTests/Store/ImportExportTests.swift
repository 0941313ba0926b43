import Testing

@testable import MetricStore
import TestSupport

@Suite struct ImportExportTests {
    static let input = """
        # HELP node_load1 1m load average.
        # TYPE node_load1 gauge
        node_load1{instance="h:9100",job="node"} 0.5 1764380033.123
        node_load1{instance="h:9100",job="node"} 1.25e-7 1764380034.123
        node_load1{instance="h:9100",job="node"} -0 1764380035.123
        # TYPE pg_stat_database_blks_hit unknown
        pg_stat_database_blks_hit{datname="a \\"q\\" \\\\ \\n"} 123456789 1764380033.000
        pg_stat_database_blks_hit{datname="a \\"q\\" \\\\ \\n"} +Inf 1764387233.000
        # TYPE up gauge
        up{job="node"} NaN 1764380033.5
        up{job="node"} 1 1764380034.5
        # EOF

        """

    private func roundTrip(_ text: String) throws -> (summary: ImportSummary, exported: String, series: [SeriesSamples]) {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try Store.open(directory: directory.path)
        defer { store.close() }
        let summary = try store.importOpenMetrics(Array(text.utf8), file: "in.om")
        let series = try store.select([])
        var exporter = OpenMetricsExporter()
        var out: [UInt8] = []
        for entry in OpenMetricsExporter.sortedForExport(series) { exporter.append(entry, to: &out) }
        exporter.finish(&out)
        return (summary, String(decoding: out, as: UTF8.self), series)
    }

    @Test func importExportImportIsLossless() throws {
        let first = try roundTrip(Self.input)
        #expect(first.summary.series == 3)
        #expect(first.summary.samples == 7)
        // Two hours apart: two block ranges.
        #expect(first.summary.blocks.count == 2)
        let second = try roundTrip(first.exported)
        #expect(second.series == first.series)
        #expect(second.exported == first.exported)
        let load = first.series.first { $0.labels.metricName == "node_load1" }!
        #expect(load.samples.map(\.value.bitPattern) == [0.5, 1.25e-7, -0.0].map(\.bitPattern))
        #expect(load.samples.map(\.timestamp) == [1_764_380_033_123, 1_764_380_034_123, 1_764_380_035_123])
    }

    @Test func exportFormat() throws {
        let exported = try roundTrip(Self.input).exported
        #expect(exported.hasPrefix("# TYPE node_load1 unknown\nnode_load1{instance=\"h:9100\",job=\"node\"} 0.5 1764380033.123\n"))
        #expect(exported.contains("pg_stat_database_blks_hit{datname=\"a \\\"q\\\" \\\\ \\n\"} +Inf 1764387233.000\n"))
        #expect(exported.contains("up{job=\"node\"} NaN 1764380033.500\n"))
        #expect(exported.hasSuffix("# EOF\n"))
    }

    @Test func aBadFileWritesNothing() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try Store.open(directory: directory.path)
        defer { store.close() }
        let bad = "up 1 1\nup 2 2\nup x 3\n# EOF\n"
        #expect {
            _ = try store.importOpenMetrics(Array(bad.utf8), file: "bad.om")
        } throws: { error in
            String(describing: error) == "bad.om:3:4: expected a number, NaN, +Inf or -Inf as the value"
        }
        #expect(store.blocks.isEmpty)
        #expect(try BlockDirectory.blockIDs(in: directory.path, fileSystem: directory.fileSystem).isEmpty)
        #expect {
            _ = try store.importOpenMetrics(Array("up 1\n# EOF\n".utf8), file: "nots.om")
        } throws: { error in
            String(describing: error).hasPrefix("nots.om:1: expected a timestamp on every sample")
        }
    }

    @Test func staleMarkersAreSkippedAndCounted() {
        var exporter = OpenMetricsExporter()
        var out: [UInt8] = []
        exporter.append(
            SeriesSamples(
                labels: Labels(["__name__": "up"]),
                samples: [Sample(timestamp: 1000, value: 1), Sample(timestamp: 2000, value: StaleMarker.value)]), to: &out)
        #expect(exporter.skippedStaleMarkers == 1)
        #expect(exporter.exportedSamples == 1)
    }

    @Test(arguments: [(Int64(1_764_380_033_123), "1764380033.123"), (5, "0.005"), (-1250, "-1.250"), (0, "0.000")])
    func timestamps(_ milliseconds: Int64, _ text: String) {
        #expect(OpenMetricsExporter.formatTimestamp(milliseconds) == text)
    }
}
