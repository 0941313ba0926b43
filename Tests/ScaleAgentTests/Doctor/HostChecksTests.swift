import Testing

@testable import ScaleAgent

/// The checks that read the host (addresses, sockets, processes, the store's disk, the unit)
/// on inputs written by hand.
@Suite struct HostChecksTests {
    static func ip(_ text: String) -> [UInt8] { IPAddressScope.bytes(of: text)! }

    @Test(arguments: [
        ("127.0.0.1", IPAddressScope.loopback), ("127.8.9.1", .loopback), ("::1", .loopback), ("0.0.0.0", .wildcard), ("::", .wildcard),
        ("10.1.2.3", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.1", .privateNetwork), ("172.32.0.1", .publicAddress),
        ("192.168.1.1", .privateNetwork), ("169.254.1.1", .privateNetwork), ("100.64.0.1", .privateNetwork), ("100.128.0.1", .publicAddress),
        ("203.0.113.7", .publicAddress), ("fd00::1", .privateNetwork), ("fe80::1", .privateNetwork), ("2001:db8::1", .publicAddress),
        ("::ffff:10.0.0.1", .privateNetwork), ("::ffff:8.8.8.8", .publicAddress), ("[::1]", .loopback),
    ])
    func scope(_ text: String, _ scope: IPAddressScope) throws {
        let bytes = try #require(IPAddressScope.bytes(of: text))
        #expect(IPAddressScope.of(bytes: bytes) == scope)
    }

    @Test func hostNamesAreNoAddresses() {
        #expect(IPAddressScope.bytes(of: "db.internal") == nil)
        #expect(IPAddressScope.bytes(of: "localhost") == nil)
        #expect(IPAddressScope.text(of: Self.ip("2001:db8::1")) == "2001:db8::1")
    }

    @Test func listeningSocketsFromProcNet() {
        let tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 1 1 0 100 0 0 10 0
               1: 00000000:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 2 1 0 100 0 0 10 0
               2: 0100007F:1538 0100007F:C350 01 00000000:00000000 00:00000000 00000000   107        0 3 1 0 100 0 0 10 0
               3: 0500000A:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0
            """
        let sockets = ListeningSockets.parse(tcp)
        #expect(sockets.map { IPAddressScope.text(of: $0.address) } == ["127.0.0.1", "0.0.0.0", "10.0.0.5"])
        #expect(sockets.map(\.port) == [5432, 5432, 80])
        let tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue
               0: 00000000000000000000000001000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000
               1: 00000000000000000000000000000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000
               2: garbage
            """
        #expect(ListeningSockets.parse(tcp6).map { IPAddressScope.text(of: $0.address) } == ["::1", "::"])
    }

    struct ExposureCase: Sendable, CustomTestStringConvertible {
        var label: String
        var sockets: [String]
        var host: [String]
        var status: DoctorCheck.Status
        var testDescription: String { label }
    }

    @Test(arguments: [
        ExposureCase(label: "loopback only", sockets: ["127.0.0.1", "::1"], host: ["127.0.0.1", "203.0.113.7"], status: .pass),
        ExposureCase(label: "IPv4 wildcard on a private host", sockets: ["0.0.0.0"], host: ["127.0.0.1", "10.0.0.5", "2001:db8::5"], status: .pass),
        ExposureCase(label: "IPv4 wildcard with a public address", sockets: ["0.0.0.0"], host: ["127.0.0.1", "203.0.113.7"], status: .warn),
        ExposureCase(label: "IPv6 wildcard takes IPv4 too", sockets: ["::"], host: ["127.0.0.1", "203.0.113.7"], status: .warn),
        ExposureCase(label: "a public address named", sockets: ["203.0.113.7"], host: [], status: .warn),
        ExposureCase(label: "Unix socket only", sockets: [], host: ["203.0.113.7"], status: .pass),
    ])
    func localExposure(_ row: ExposureCase) {
        let check = PostgresExposureCheck.local(
            listenAddresses: "*", port: 5432, sockets: row.sockets.map { ListeningSockets.Socket(address: Self.ip($0), port: 5432) },
            hostAddresses: row.host.map(Self.ip), server: "db")
        #expect(check.status == row.status, "\(check.evidence)")
        if row.status == .warn {
            #expect(check.evidence.contains("203.0.113.7"))
            #expect(check.remedy?.contains("listen_addresses = 'localhost'") == true)
        }
    }

    @Test(arguments: [
        ("localhost, 10.0.0.5", "10.0.0.5", DoctorCheck.Status.pass),
        ("*", "10.0.0.5", .skip),
        ("*", "203.0.113.7", .warn),
        ("10.0.0.5, 203.0.113.7", "db.internal", .warn),
        ("db.internal", "10.0.0.5", .skip),
    ])
    func remoteExposure(listen: String, host: String, status: DoctorCheck.Status) {
        #expect(PostgresExposureCheck.remote(listenAddresses: listen, targetHost: host, server: "db").status == status)
    }

    static func process(_ pid: Int, parent: Int = 1, _ name: String, mib: Double, score: Int, adj: Int = 0) -> ProcessTable.Process {
        ProcessTable.Process(pid: pid, parent: parent, name: name, residentBytes: mib * 1_048_576, oomScore: score, oomScoreAdj: adj)
    }

    @Test func oomScoreDatabaseProtected() {
        let table = ProcessTable(processes: [
            Self.process(100, "postgres", mib: 40, score: 1, adj: -900), Self.process(101, parent: 100, "postgres", mib: 300, score: 20),
            Self.process(200, "gunicorn", mib: 900, score: 60), Self.process(201, "nginx", mib: 20, score: 2), Self.process(300, "scalewatch", mib: 50, score: 3),
        ])
        let check = OOMScoreCheck.check(postmaster: 100, table: table, excluding: 300, server: "db")
        #expect(check.status == .pass)
        #expect(
            check.evidence
                == "postmaster pid 100 oom_score 1 (oom_score_adj -900), its highest-scored process postgres pid 101 oom_score 20; largest other processes: gunicorn pid 200 900MB oom_score 60, nginx pid 201 20MB oom_score 2")
    }

    @Test func oomScoreDatabaseFirst() {
        let table = ProcessTable(processes: [
            Self.process(100, "postgres", mib: 40, score: 30), Self.process(101, parent: 100, "postgres", mib: 4000, score: 500),
            Self.process(200, "gunicorn", mib: 900, score: 110),
        ])
        let check = OOMScoreCheck.check(postmaster: 100, table: table, excluding: 1, server: "db")
        #expect(check.status == .warn)
        #expect(check.remedy?.contains("OOMScoreAdjust=-900") == true)
    }

    @Test func oomScoreAloneOrInvisible() {
        let alone = ProcessTable(processes: [Self.process(100, "postgres", mib: 40, score: 30)])
        #expect(OOMScoreCheck.check(postmaster: 100, table: alone, excluding: 1, server: "db").status == .pass)
        #expect(OOMScoreCheck.check(postmaster: 7, table: alone, excluding: 1, server: "db").status == .skip)
    }

    @Test(arguments: [
        ("4242 (postgres) S 4200 4242 4242 0 -1", 4242, 4200, "postgres"),
        ("17 (my (odd) name) R 1 17 17", 17, 1, "my (odd) name"),
    ])
    func statLine(_ line: String, pid: Int, parent: Int, name: String) throws {
        let parsed = try #require(ProcessTable.parseStat(line))
        #expect(parsed.pid == pid && parsed.parent == parent && parsed.name == name)
        #expect(ProcessTable.parseStat("garbage") == nil)
    }

    static let gib = 1_073_741_824.0

    static func store(available: Double, size: Double = 100 * gib, files: Double = 1_000_000, filesFree: Double = 900_000, readOnly: Bool = false,
                      wal: Double = 30 * 1_048_576, blocks: [Double] = [200 * 1_048_576, 100 * 1_048_576, 50 * 1_048_576], retention: Int? = 1 << 30, fraction: Double? = 0.05) -> StoreSpaceCheck.Facts {
        StoreSpaceCheck.Facts(
            dataDirectory: "/var/lib/scalewatch", statPath: "/var/lib/scalewatch",
            usage: FilesystemUsage(sizeBytes: size, freeBytes: available, availableBytes: available, files: files, filesFree: filesFree, readOnly: readOnly),
            storeBytes: wal + blocks.reduce(0, +), walBytes: wal, blockBytes: blocks, retentionSize: retention, retentionFraction: fraction)
    }

    @Test(arguments: [
        ("plenty", store(available: 50 * gib), DoctorCheck.Status.pass, "50GB of 100GB free (50%), 900000 of 1000000 inodes free (90%); store 380MB (WAL 30MB, 3 blocks); retention limit 1GB"),
        ("below a compaction of the two largest blocks", store(available: 250 * 1_048_576), .fail, "the next block or compaction needs 300MB"),
        ("below one WAL segment", store(available: 100 * 1_048_576, blocks: []), .fail, "needs 128MB"),
        ("under 10%", store(available: 9 * gib), .warn, "under 10% free"),
        ("inodes under 10%", store(available: 50 * gib, filesFree: 50_000), .warn, "under 10% free"),
        ("no inodes", store(available: 50 * gib, filesFree: 10), .fail, "no inodes left"),
        ("read-only", store(available: 50 * gib, readOnly: true), .fail, "read-only"),
        ("retention beyond the disk", store(available: 1.5 * gib, size: 10 * gib, retention: 4 << 30, fraction: nil), .warn, "more than the disk has"),
    ])
    func storeSpace(_ label: String, _ facts: StoreSpaceCheck.Facts, _ status: DoctorCheck.Status, _ says: String) {
        let check = StoreSpaceCheck.check(facts)
        #expect(check.status == status, "\(label): \(check.evidence)")
        #expect(check.evidence.contains(says), "\(label): \(check.evidence)")
    }

    static let shippedUnit = """
        [Unit]
        Description=scalewatch
        # MemoryMax=1M in a comment
        [Service]
        ExecStart=/usr/local/bin/scalewatch agent \\
            --config /etc/scalewatch/agent.yml
        MemoryHigh=192M
        MemoryMax=256M
        CPUWeight=20
        [Install]
        MemoryMax=1M
        """

    static func unit(_ dropIn: String? = nil) -> SystemdUnitSettings {
        var unit = SystemdUnitSettings()
        unit.merge(shippedUnit, file: "scalewatch.service")
        if let dropIn { unit.merge("[Service]\n" + dropIn, file: "override.conf") }
        return unit
    }

    @Test func shippedUnitPasses() {
        let unit = Self.unit()
        #expect(unit["ExecStart"] == "/usr/local/bin/scalewatch agent  --config /etc/scalewatch/agent.yml")
        let checks = UnitLimitsCheck.check(unit, webMaxConnections: 512, memTotal: 8 * Self.gib)
        #expect(checks.map(\.status) == [.pass, .pass, .pass])
        #expect(checks.map(\.name) == ["agent.unit.memory", "agent.unit.nofile", "agent.unit.cpu"])
    }

    @Test(arguments: [
        ("MemoryMax=", "agent.unit.memory", DoctorCheck.Status.warn, "no MemoryMax"),
        ("MemoryMax=infinity", "agent.unit.memory", .warn, "no MemoryMax"),
        ("MemoryMax=64M", "agent.unit.memory", .warn, "below 128MB"),
        ("MemoryMax=10%", "agent.unit.memory", .pass, "MemoryMax=10% (819.2MB)"),
        ("LimitNOFILE=512", "agent.unit.nofile", .warn, "HTTP gets 256 connections"),
        ("LimitNOFILE=1024:4096", "agent.unit.nofile", .pass, "covers"),
        ("LimitNOFILE=many", "agent.unit.nofile", .warn, "not a limit"),
        ("CPUQuota=5%", "agent.unit.cpu", .warn, "miss their interval"),
        ("CPUQuota=50%", "agent.unit.cpu", .pass, "CPUQuota=50%, CPUWeight=20"),
        ("CPUWeight=", "agent.unit.cpu", .warn, "neither CPUQuota nor CPUWeight"),
    ])
    func unitLimits(dropIn: String, name: String, status: DoctorCheck.Status, says: String) throws {
        let checks = UnitLimitsCheck.check(Self.unit(dropIn), webMaxConnections: 512, memTotal: 8 * Self.gib)
        let check = try #require(checks.first { $0.name == name })
        #expect(check.status == status, "\(check.evidence)")
        #expect(check.evidence.contains(says), "\(check.evidence)")
        #expect(check.subject == "scalewatch.service + override.conf")
    }

    @Test func unitLimitsText() {
        #expect(SystemdUnitSettings.bytes("256M") == 268_435_456)
        #expect(SystemdUnitSettings.bytes("2G") == 2_147_483_648)
        #expect(SystemdUnitSettings.bytes("4096") == 4096)
        #expect(SystemdUnitSettings.bytes("lots") == nil)
        #expect(SystemdUnitSettings.fileLimits("infinity")! == (Int.max, Int.max))
        #expect(SystemdUnitSettings.fileLimits("1:2:3") == nil)
    }

    @Test func memTotal() {
        #expect(PostgresDoctor.memTotalBytes("MemTotal:       16318480 kB\nMemFree: 1 kB\n") == 16_318_480.0 * 1024)
        #expect(PostgresDoctor.memTotalBytes("MemFree: 1 kB\n") == nil)
    }
}
