import MetricStore
import Testing
@testable import ScaleAgent

/// The collector on the host's real sockets: listeners and connections made by the test on
/// loopback, read through sock_diag (and /proc/net/tcp for the fallback's sake).
@Suite struct SocketsCollectorTests {
    private func collect(_ collector: some Collector) throws -> [MetricFamily] {
        var builder = MetricsBuilder()
        try collector.collect(into: &builder)
        return builder.build()
    }

    private func listenOverflows() throws -> Double {
        try collect(NetstatCollector(paths: HostPaths())).value("node_netstat_TcpExt_ListenOverflows") ?? -1
    }

    @Test func aListenerThatStopsAcceptingFillsItsQueueAndOverflows() async throws {
        let sockets = LoopbackSockets()
        let (_, port) = try sockets.listen(backlog: 4)
        let collector = SocketsCollector(paths: HostPaths())
        let labels = ["address": "127.0.0.1", "port": String(port)]
        let before = try collect(collector)
        #expect(before.value("scalewatch_sockets_source_info", ["source": "netlink"]) == 1)
        #expect(before.value("scalewatch_listen_queue_length", labels) == 0)
        #expect(before.value("scalewatch_listen_queue_max", labels) == 4)
        let overflowsBefore = try listenOverflows()

        for _ in 0..<12 { try sockets.connect(to: port) }
        // The kernel keeps backlog + 1 finished handshakes; the other clients' SYNs are dropped.
        try await eventually("the accept queue is full") { try collect(collector).value("scalewatch_listen_queue_length", labels) == 5 }
        try await eventually("overflows are counted") { try listenOverflows() > overflowsBefore }
        #expect(try collect(collector).value("scalewatch_listen_port_up", labels) == 1)
    }

    @Test func outboundConnectionsAreCountedPerEndpointWithRTTAndTheServerSideAsInbound() async throws {
        let sockets = LoopbackSockets()
        let (listener, port) = try sockets.listen(backlog: 16)
        for _ in 0..<3 {
            try sockets.connect(to: port)
            try sockets.accept(listener)
        }
        var settings = SocketSettings()
        settings.topEndpoints = 1000
        let collector = SocketsCollector(paths: HostPaths(), settings: settings)
        let remote = "127.0.0.1:\(port)"
        try await eventually("three established connections") {
            try collect(collector).value("scalewatch_tcp_outbound_connections", ["remote": remote, "state": "established"]) == 3
        }
        let families = try collect(collector)
        #expect(families.value("scalewatch_tcp_inbound_connections", ["port": String(port), "state": "established"]) == 3)
        let rtt = families.value("scalewatch_tcp_outbound_rtt_seconds", ["remote": remote])
        #expect(rtt.map { $0 > 0 && $0 < 1 } == true, "rtt \(String(describing: rtt))")
    }

    @Test func aListenerThatClosesIsReportedGone() throws {
        let sockets = LoopbackSockets()
        let (listener, port) = try sockets.listen(backlog: 8)
        let collector = SocketsCollector(paths: HostPaths())
        let labels = ["address": "127.0.0.1", "port": String(port)]
        #expect(try collect(collector).value("scalewatch_listen_port_gone_total", ["port": String(port)]) == 0)
        sockets.close(listener)
        let after = try collect(collector)
        #expect(after.value("scalewatch_listen_port_up", labels) == 0)
        #expect(after.value("scalewatch_listen_port_gone_total", ["port": String(port)]) == 1)
        #expect(after.value("scalewatch_listen_queue_length", labels) == nil)
    }

    /// The listener's owner is this test process: named while it listens, kept once the
    /// listener closed, and still running — a server up without listening, not a stop.
    @Test func aListenerNamesItsProcessAndKeepsItOnceGone() throws {
        let sockets = LoopbackSockets()
        let (listener, port) = try sockets.listen(backlog: 8)
        let collector = SocketsCollector(paths: HostPaths())
        let comm = String(try FileReading.string(atPath: "/proc/self/comm").dropLast())
        let labels = ["address": "127.0.0.1", "port": String(port)]
        // Where the tests run in a systemd unit (or session scope), that is named too.
        let unit = try CgroupParsing.unit(fromProcessCgroup: FileReading.string(atPath: "/proc/self/cgroup"), file: "cgroup")
        let info = labels.merging(["process": comm].merging(unit.map { ["unit": $0] } ?? [:]) { $1 }) { $1 }
        let before = try collect(collector)
        #expect(before.value("scalewatch_listen_port_info", info) == 1)
        #expect(before.value("scalewatch_listen_port_owner_running", labels) == 1)
        sockets.close(listener)
        let after = try collect(collector)
        #expect(after.value("scalewatch_listen_port_up", labels) == 0)
        #expect(after.value("scalewatch_listen_port_info", info) == 1)
        #expect(after.value("scalewatch_listen_port_owner_running", labels) == 1)
    }

    @Test func readsProcNetTCPOutsideTheLiveProc() throws {
        let sockets = LoopbackSockets()
        let (_, port) = try sockets.listen(backlog: 8)
        try sockets.connect(to: port)
        let tree = ScratchTree()
        tree.write("net/tcp", try FileReading.string(atPath: "/proc/net/tcp"))
        let families = try collect(SocketsCollector(paths: HostPaths(procfs: tree.root)))
        #expect(families.value("scalewatch_sockets_source_info", ["source": "proc"]) == 1)
        #expect(families.value("scalewatch_listen_queue_length", ["address": "127.0.0.1", "port": String(port)]) != nil)
        // /proc/net/tcp does not show the backlog.
        #expect(families.value("scalewatch_listen_queue_max", ["address": "127.0.0.1", "port": String(port)]) == nil)
    }

    /// Within `connections_max_age` a collection reuses the last walk of the connection table
    /// but reads the listeners afresh; past it, the connections are walked again.
    @Test func connectionsAreWalkedAtMostOncePerMaxAgeAndListenersEveryTime() async throws {
        let sockets = LoopbackSockets()
        let (listener, port) = try sockets.listen(backlog: 16)
        try sockets.connect(to: port)
        try sockets.accept(listener)
        var settings = SocketSettings()
        settings.connectionsMaxAge = .seconds(10)
        let now = Locked(Duration.seconds(100))
        let collector = SocketsCollector(paths: HostPaths(), settings: settings, clock: { now.withLock { $0 } })
        let inbound = ["port": String(port), "state": "established"]
        #expect(try collect(collector).value("scalewatch_tcp_inbound_connections", inbound) == 1)

        try sockets.connect(to: port)
        try sockets.accept(listener)
        let (_, newPort) = try sockets.listen(backlog: 4)
        now.withLock { $0 += .seconds(9) }
        let reused = try collect(collector)
        #expect(reused.value("scalewatch_tcp_inbound_connections", inbound) == 1)
        #expect(reused.value("scalewatch_listen_port_up", ["address": "127.0.0.1", "port": String(newPort)]) == 1)

        now.withLock { $0 += .seconds(1) }
        #expect(try collect(collector).value("scalewatch_tcp_inbound_connections", inbound) == 2)
    }

    @Test func listenersBeyondTheCapAreCountedNotReported() throws {
        let sockets = LoopbackSockets()
        for _ in 0..<3 { _ = try sockets.listen(backlog: 1) }
        var settings = SocketSettings()
        settings.maxListeners = 1
        let families = try collect(SocketsCollector(paths: HostPaths(), settings: settings))
        #expect(families.samples("scalewatch_listen_queue_length").count == 1)
        #expect((families.value("scalewatch_listen_sockets_omitted") ?? 0) >= 3)
    }
}

extension [MetricFamily] {
    fileprivate func samples(_ name: String) -> [MetricSample] { first { $0.name == name }?.samples ?? [] }

    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples(name).first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
