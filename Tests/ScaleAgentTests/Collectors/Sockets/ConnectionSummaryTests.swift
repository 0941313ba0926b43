import Testing
@testable import ScaleAgent

@Suite struct ConnectionSummaryTests {
    private func socket(
        _ state: TCPState, _ local: String, _ localPort: UInt16, _ remote: String, _ remotePort: UInt16, rtt: UInt32? = nil
    ) -> InetSocket {
        InetSocket(
            state: state, local: .init(address: local, port: localPort), remote: .init(address: remote, port: remotePort),
            receiveQueue: 0, sendQueue: 0, inode: 1, rttMicroseconds: rtt)
    }

    @Test func separatesInboundFromOutboundAndRanksEndpoints() {
        let sockets = [
            socket(.listen, "0.0.0.0", 80, "0.0.0.0", 0),
            socket(.listen, "::1", 8080, "::", 0),
            // Inbound: to the wildcard listener on 80, and to [::1]:8080.
            socket(.established, "10.0.0.1", 80, "203.0.113.9", 50_000),
            socket(.timeWait, "10.0.0.1", 80, "203.0.113.9", 50_001),
            socket(.established, "::1", 8080, "::1", 40_000),
            // Outbound: three to the upstream, two to the database, one elsewhere.
            socket(.established, "10.0.0.1", 41_000, "10.0.0.7", 8000, rtt: 1000),
            socket(.established, "10.0.0.1", 41_001, "10.0.0.7", 8000, rtt: 3000),
            socket(.synSent, "10.0.0.1", 41_002, "10.0.0.7", 8000),
            socket(.established, "10.0.0.1", 42_000, "10.0.0.8", 5432, rtt: 500),
            socket(.closeWait, "10.0.0.1", 42_001, "10.0.0.8", 5432),
            socket(.established, "10.0.0.1", 43_000, "2001:db8::1", 443, rtt: 20_000),
            // A client connection from the host to its own port 80 is both: outbound here...
            socket(.established, "127.0.0.1", 44_000, "127.0.0.1", 80),
        ]
        let summary = ConnectionSummary(sockets: sockets, top: 2)
        #expect(summary.outbound.map(\.remote) == ["10.0.0.7:8000", "10.0.0.8:5432", "other"])
        #expect(summary.outbound[0].states.map(\.state) == [.established, .synSent])
        #expect(summary.outbound[0].states.map(\.count) == [2, 1])
        #expect(summary.outbound[0].meanRTTSeconds == 0.002)
        #expect(summary.outbound[1].meanRTTSeconds == 0.0005)
        // …and the other holds [2001:db8::1]:443 and 127.0.0.1:80.
        #expect(summary.outbound[2].states.map(\.count) == [2])
        #expect(summary.outbound[2].meanRTTSeconds == 0.02)
        #expect(summary.inbound.map(\.port) == [80, 80, 8080])
        #expect(summary.inbound.map(\.state) == [.established, .timeWait, .established])
        #expect(summary.inbound.map(\.count) == [1, 1, 1])
    }

    @Test func aServerConnectionOutlivingItsListenerIsInboundByItsEphemeralPeer() {
        let sockets = [
            // Port 8080 no longer listens (a restart); its connection from a client's ephemeral port stays.
            socket(.closeWait, "10.0.0.1", 8080, "10.0.0.9", 40_000),
            // An outbound connection: the local port is the ephemeral one.
            socket(.established, "10.0.0.1", 40_001, "10.0.0.7", 8080),
        ]
        let summary = ConnectionSummary(sockets: sockets, top: 5, ephemeralPorts: 32768...60999)
        #expect(summary.outbound.map(\.remote) == ["10.0.0.7:8080"])
        #expect(summary.inbound.map(\.port) == [8080])
        #expect(ConnectionSummary(sockets: sockets, top: 5).outbound.count == 2)
    }

    @Test func tiesAreBrokenByName() {
        let sockets = [
            socket(.established, "10.0.0.1", 41_000, "10.0.0.9", 80),
            socket(.established, "10.0.0.1", 41_001, "10.0.0.2", 80),
        ]
        #expect(ConnectionSummary(sockets: sockets, top: 1).outbound.map(\.remote) == ["10.0.0.2:80", "other"])
        #expect(ConnectionSummary(sockets: sockets, top: 5).outbound.map(\.remote) == ["10.0.0.2:80", "10.0.0.9:80"])
    }

    @Test func endpointsPrintIPv6InBrackets() {
        #expect(SocketEndpoint(address: "::1", port: 5432).description == "[::1]:5432")
        #expect(SocketEndpoint(address: "10.1.2.3", port: 80).description == "10.1.2.3:80")
    }
}
