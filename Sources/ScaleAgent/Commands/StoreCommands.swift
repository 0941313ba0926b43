import MetricStore

/// What the `import`, `export` and `tsdb stats` commands do, so that the executable only
/// parses arguments and prints.
public enum StoreCommands {
    /// Imports a file into the data directory (created if missing). Refused while another
    /// process (a running agent) holds the directory.
    public static func importOpenMetrics(file: String, dataDirectory: String) throws -> ImportSummary {
        let store = try Store.open(directory: dataDirectory)
        defer { store.close() }
        let summary = try store.importOpenMetrics(file: file)
        try store.sync()
        return summary
    }

    public struct ExportSummary: Sendable {
        public var series = 0
        public var samples = 0
        public var skippedStaleMarkers = 0
    }

    /// Writes the selected series as OpenMetrics to `output`, in pieces. Opens read-only, so
    /// it works beside a running agent.
    public static func export(
        dataDirectory: String, matchers: [LabelMatcher], start: Int64, end: Int64, output: ([UInt8]) -> Void
    ) throws -> ExportSummary {
        var options = StoreOptions()
        options.readOnly = true
        let store = try Store.open(directory: dataDirectory, options: options)
        defer { store.close() }
        let series = OpenMetricsExporter.sortedForExport(try store.select(matchers, minTime: start, maxTime: end))
        var exporter = OpenMetricsExporter()
        var buffer: [UInt8] = []
        for entry in series {
            exporter.append(entry, to: &buffer)
            if buffer.count > 1 << 20 {
                output(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        exporter.finish(&buffer)
        output(buffer)
        return ExportSummary(
            series: series.count, samples: exporter.exportedSamples, skippedStaleMarkers: exporter.skippedStaleMarkers)
    }

    public static func stats(dataDirectory: String, top: Int) throws -> StoreStats {
        var options = StoreOptions()
        options.readOnly = true
        let store = try Store.open(directory: dataDirectory, options: options)
        defer { store.close() }
        return try store.stats(top: top)
    }
}
