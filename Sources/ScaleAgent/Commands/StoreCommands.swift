import AlertEngine
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

    /// The matchers of a series selector such as `node_load1` or `{__name__=~"pg_.*"}`, or an
    /// error that says what was expected where.
    public static func matchers(selector: String) throws -> [LabelMatcher] {
        try PromQLParser.parseSeriesSelector(selector)
    }

    /// Writes the series `selector` selects (every series when nil) as OpenMetrics to
    /// `output`, in pieces. Opens read-only, so it works beside a running agent.
    public static func export(
        dataDirectory: String, selector: String?, start: Int64, end: Int64, output: ([UInt8]) -> Void
    ) throws -> ExportSummary {
        let labelMatchers = try selector.map { try Self.matchers(selector: $0) } ?? []
        let store = try Store.openReadOnly(dataDirectory)
        defer { store.close() }
        let series = OpenMetricsExporter.sortedForExport(try store.select(labelMatchers, minTime: start, maxTime: end))
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
        let store = try Store.openReadOnly(dataDirectory)
        defer { store.close() }
        return try store.stats(top: top)
    }
}

extension Store {
    /// The commands read a data directory without changing it, so that they work beside a
    /// running agent (which holds the lock).
    static func openReadOnly(_ directory: String) throws -> Store {
        var options = StoreOptions()
        options.readOnly = true
        return try Store.open(directory: directory, options: options)
    }
}
