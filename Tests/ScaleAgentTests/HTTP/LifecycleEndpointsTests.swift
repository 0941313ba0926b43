import NIOHTTP1
import Testing

@testable import ScaleAgent

/// `/-/reload` and `/-/quit` answer as Prometheus' do, and only call the agent when enabled.
@Suite struct LifecycleEndpointsTests {
    @Test(arguments: [(HTTPMethod.POST, "/-/reload"), (.PUT, "/-/reload"), (.POST, "/-/quit"), (.PUT, "/-/quit")])
    func offByDefault(_ method: HTTPMethod, _ uri: String) async throws {
        try await ServerUnderTest.with { server in
            let response = try await TestHTTPConnection.send(method, port: server.port, uri)
            #expect(response.status == .forbidden)
            #expect(response.text == "Lifecycle API is not enabled.\n")
            #expect(server.actions.withLockedValue { $0 }.isEmpty)
        }
    }

    @Test(arguments: [HTTPMethod.POST, .PUT])
    func reloadWhenEnabled(_ method: HTTPMethod) async throws {
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true)) { server in
            let response = try await TestHTTPConnection.send(method, port: server.port, "/-/reload")
            #expect(response.status == .ok)
            #expect(server.actions.withLockedValue { $0 } == ["reload"])
        }
    }

    @Test func aFailedReloadIs500WithTheReason() async throws {
        let failure = ConfigError(file: "agent.yml", line: 2, column: 1, "unknown key 'bogus'")
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true), reloadOutcome: .failure(failure)) { server in
            let response = try await TestHTTPConnection.send(.POST, port: server.port, "/-/reload")
            #expect(response.status == .internalServerError)
            #expect(response.text == "failed to reload config: \(failure)\n")
        }
    }

    @Test func quitWhenEnabled() async throws {
        try await ServerUnderTest.with(web: WebSettings(enableLifecycle: true)) { server in
            let response = try await TestHTTPConnection.send(.PUT, port: server.port, "/-/quit")
            #expect(response.status == .ok)
            #expect(response.text == "Requesting termination... Goodbye!\n")
            #expect(server.actions.withLockedValue { $0 } == ["quit"])
        }
    }

    @Test func aReloadsWebSettingsApplyToTheNextRequest() async throws {
        try await ServerUnderTest.with { server in
            try await TestHTTPConnection.with(port: server.port) { connection in
                let before = try await connection.send(.POST, "/-/reload")
                server.server.apply(web: WebSettings(enableLifecycle: true))
                let after = try await connection.send(.POST, "/-/reload")
                #expect(before.status == .forbidden && after.status == .ok)
            }
        }
    }
}
