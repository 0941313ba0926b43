/// System-wide file handle usage from /proc/sys/fs/file-nr, under node_exporter's `filefd`
/// names. A host running out of file handles fails in ways that look like network errors.
public struct FilefdCollector: Collector {
    public let name = "filefd"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("sys/fs/file-nr")
        let usage = try Self.parse(FileReading.string(atPath: file), file: file)
        metrics.gauge("node_filefd_allocated", "File descriptor statistics: allocated.", usage.allocated)
        metrics.gauge("node_filefd_maximum", "File descriptor statistics: maximum.", usage.maximum)
    }

    struct FileHandles: Equatable {
        var allocated, maximum: Double
    }

    /// `allocated  unused  maximum`, tab-separated. The middle field has been 0 since
    /// Linux 2.6 (handles are freed, not kept), so it is read past, not reported.
    static func parse(_ text: String, file: String) throws(ParseError) -> FileHandles {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard fields.count >= 3 else {
            throw ParseError(file: file, line: 1, "expected 3 fields (allocated, unused, maximum), found \(fields.count)")
        }
        guard let allocated = UInt64(fields[0]) else {
            throw ParseError(file: file, line: 1, "allocated: expected an unsigned integer, found '\(fields[0])'")
        }
        guard let maximum = UInt64(fields[2]) else {
            throw ParseError(file: file, line: 1, "maximum: expected an unsigned integer, found '\(fields[2])'")
        }
        return FileHandles(allocated: Double(allocated), maximum: Double(maximum))
    }
}
