import Testing
import TestSupport
@testable import ScaleAgent

/// zfs on the fixture tree (no ZFS on this machine: the files follow OpenZFS's SPL kstat
/// output) and the kstat parsers' errors.
@Suite struct ZFSCollectorTests {
    private func collect(_ paths: HostPaths) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try ZFSCollector(paths: paths).collect(into: &builder)
        return builder.build()
    }

    private func samples(_ families: [MetricFamily], _ name: String) -> [MetricSample] {
        families.first { $0.name == name }?.samples ?? []
    }

    @Test func kstatsPoolsDatasetsAndStatesOnTheFixtures() throws {
        let families = try collect(Fixtures.paths)
        let hits = families.first { $0.name == "node_zfs_arc_hits" }
        #expect(hits?.type == .untyped)
        #expect(hits?.help == "kstat.zfs.misc.arcstats.hits")
        #expect(hits?.samples.first?.value == 8_772_612)
        // Only type-4 counters: memory_available_bytes is signed (type 3).
        #expect(!families.contains { $0.name == "node_zfs_arc_memory_available_bytes" })
        #expect(samples(families, "node_zfs_fm_erpt_dropped").first?.value == 18)
        #expect(families.first { $0.name == "node_zfs_fm_erpt_dropped" }?.help == "kstat.zfs.misc.fm.erpt-dropped")
        #expect(samples(families, "node_zfs_dbuf_hash_hits").first?.value == 4_517_262)
        #expect(samples(families, "node_zfs_zil_zil_itx_needcopy_bytes").first?.value == 18_446_744_073_709_537_686)

        let nread = samples(families, "node_zfs_zpool_nread")
        #expect(nread.map { $0.labels["zpool"] } == ["tank"])
        #expect(nread.first?.value == 1_884_160)
        #expect(families.first { $0.name == "node_zfs_zpool_rupdate" }?.help == "kstat.zfs.misc.io.rupdate")

        let writes = samples(families, "node_zfs_zpool_dataset_writes")
        #expect(writes.map { "\($0.labels["zpool"] ?? "")/\($0.labels["dataset"] ?? "")=\($0.value)" } == [
            "backup/backup=0.0", "tank/tank=4.0", "tank/tank/home with space=95.0",
        ])

        let state = samples(families, "node_zfs_zpool_state")
        #expect(state.count == 12)
        #expect(state.filter { $0.value == 1 }.map { "\($0.labels["zpool"] ?? "")=\($0.labels["state"] ?? "")" } == [
            "backup=degraded", "tank=online",
        ])
        #expect(families.first { $0.name == "node_zfs_zpool_state" }?.type == .gauge)
        // xuio_stats is absent from the fixtures, as from OpenZFS 2.
        #expect(!families.contains { $0.name.hasPrefix("node_zfs_xuio_") })
    }

    @Test func namedKstat() throws {
        let text = """
            31 1 0x01 7 2160 5214787391 74985931356512
            name                            type data
            dataset_name                    7    pool/a b
            writes                          4    12
            label                           7    text
            nread                           4    18446744073709551615

            """
        let (counters, dataset) = try ZFSKstat.named(text, file: "objset-0x36")
        #expect(dataset == "pool/a b")
        #expect(counters == [.init(name: "writes", value: 12), .init(name: "nread", value: UInt64.max)])
        #expect(ZFSKstat.Counter(name: "erpt-set-failed", value: 0).metricName == "erpt_set_failed")
    }

    @Test(arguments: [
        ("6 1 0x01 1 48 1 2\nhits 4 12\n", 0, "expected a 'name type data' header"),
        ("name type data\nhits 4\n", 2, "expected name, type and data, found 2 fields"),
        ("name type data\nhits 4 -1\n", 2, "expected an unsigned integer for hits"),
        ("name type data\nhits 4 12 13\n", 2, "expected an unsigned integer for hits"),
        ("name type data\nhits 4 1\nmisses 4 2\nhits 4 3\n", 4, "hits appears twice"),
        ("name type data\nhit{s} 4 1\n", 2, "'hit{s}' is not usable in a metric name"),
    ])
    func rejectsAMalformedNamedKstat(text: String, line: Int, message: String) {
        let error = #expect(throws: ParseError.self) { try ZFSKstat.named(text, file: "arcstats") }
        #expect(error?.file == "arcstats")
        #expect(error?.line == line)
        #expect(error?.message.hasPrefix(message) == true, "\(String(describing: error))")
    }

    @Test func ioKstat() throws {
        let text = "12 3 0x00 1 80 2225326830828 32953570226\nnread nwritten reads writes\n10 20 3 4\n"
        #expect(try ZFSKstat.io(text, file: "io").map(\.value) == [10, 20, 3, 4])
    }

    @Test(arguments: [
        ("12 3 0x00 1 80 1 2\n", 0, "expected a header line beginning with 'nread'"),
        ("nread nwritten\n", 0, "expected a line of values under the header"),
        ("nread nwritten\n1 2 3\n", 2, "expected 2 values under the header, found 3"),
        ("nread nwritten\n1 x\n", 2, "expected an unsigned integer for nwritten, found 'x'"),
        ("nread nwritten\n1 2\n3 4\n", 3, "expected one line of values"),
        ("nread n.written\n1 2\n", 1, "'n.written' is not usable in a metric name"),
    ])
    func rejectsAMalformedIOKstat(text: String, line: Int, message: String) {
        let error = #expect(throws: ParseError.self) { try ZFSKstat.io(text, file: "tank/io") }
        #expect(error?.line == line)
        #expect(error?.message == message)
    }

    @Test(arguments: [("ONLINE\n", "online"), ("DEGRADED", "degraded"), ("SUSPENDED\n", "suspended")])
    func poolState(text: String, state: String) throws {
        #expect(try ZFSKstat.state(text, file: "state") == state)
    }

    @Test(arguments: ["", "\n", "ONLINE NOW\n"])
    func rejectsAMalformedState(text: String) {
        let error = #expect(throws: ParseError.self) { try ZFSKstat.state(text, file: "tank/state") }
        #expect(error?.description == "tank/state:1: expected one word, the pool's state")
    }

    @Test func anUnknownStateIsNoneOfTheSix() throws {
        let directory = TestDirectory(prefix: "scalewatch-zfs")
        defer { directory.remove() }
        try directory.write("spl/kstat/zfs/tank/state", "SUSPENDED\n")
        let state = samples(try collect(HostPaths(procfs: directory.path)), "node_zfs_zpool_state")
        #expect(state.count == 6)
        #expect(state.allSatisfy { $0.value == 0 })
    }

    @Test func aMalformedKstatFailsTheCollectorNamingTheFile() throws {
        let directory = TestDirectory(prefix: "scalewatch-zfs")
        defer { directory.remove() }
        try directory.write("spl/kstat/zfs/zil", "7 1 0x01 1 48 1 2\nname type data\nzil_commit_count 4 lots\n")
        let error = #expect(throws: ParseError.self) { try collect(HostPaths(procfs: directory.path)) }
        #expect(error?.file == directory.path + "/spl/kstat/zfs/zil")
        #expect(error?.line == 3)
    }

    @Test func skippedWithoutTheModule() throws {
        #expect(try collect(HostPaths(procfs: "/nonexistent")).isEmpty)
    }
}
