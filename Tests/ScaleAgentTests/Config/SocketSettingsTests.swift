import Testing

@testable import ScaleAgent

@Suite struct SocketSettingsTests {
    @Test func readsTheSocketsSection() throws {
        let config = try ConfigLoader.parse(
            "collectors:\n  sockets:\n    max_listeners: 50\n    top_endpoints: 5\n    port_gone_hold: 5m\n    connections_max_age: 0s\n",
            file: "a.yml")
        #expect(config.collectors.sockets.maxListeners == 50)
        #expect(config.collectors.sockets.topEndpoints == 5)
        #expect(config.collectors.sockets.portGoneHold == .seconds(300))
        #expect(config.collectors.sockets.connectionsMaxAge == .zero)
        #expect(AgentConfig().collectors.sockets.connectionsMaxAge == nil)  // the collection interval
        #expect(AgentConfig().collectors.enabled.contains("sockets"))
        #expect(AgentConfig().collectors.sockets == SocketSettings())
    }

    @Test(arguments: [
        ("collectors:\n  sockets:\n    top_endpoints: 0\n", "a.yml:3:20: collectors.sockets.top_endpoints must be a whole number from 1 to 1000, got '0'"),
        ("collectors:\n  sockets:\n    max_listeners: lots\n", "a.yml:3:20: collectors.sockets.max_listeners must be a whole number from 1 to 10000, got 'lots'"),
        ("collectors:\n  sockets:\n    top: 3\n", "a.yml:3:5: unknown key \"top\" in collectors.sockets; expected one of: enabled, max_listeners, top_endpoints, port_gone_hold, connections_max_age"),
        ("collectors:\n  sockets:\n    connections_max_age: 2h\n", "a.yml:3:26: collectors.sockets.connections_max_age must be between 0s and 1h, got '2h'"),
    ])
    func refusesMistakesWithTheirPosition(yaml: String, expected: String) {
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(yaml, file: "a.yml") }
        #expect(error?.description == expected)
    }
}
