import Testing
@testable import ScaleAgent

/// The parse error a collector fails with when /proc's `file` holds `text` (a scratch tree for
/// /proc), recording an issue if it does not fail so.
func collectionError(_ makeCollector: (HostPaths) -> some Collector, file: String, text: String) -> ParseError? {
    let tree = ScratchTree()
    tree.write(file, text)
    let collector = makeCollector(HostPaths(procfs: tree.root))
    var builder = MetricsBuilder()
    return #expect(throws: ParseError.self) { try collector.collect(into: &builder) }
}
