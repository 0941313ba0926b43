import Logging
import NIOHTTP1
import TestSupport
import Testing

@testable import ScaleAgent

/// The lifecycle endpoints on a running agent: `/-/reload` applies the changed file (or says
/// why not), `/-/quit` stops the agent, also with the client's connection kept open.
@Suite struct AgentLifecycleEndpointTests {
    /// Only `loadavg` (on the fixture tree) when `loadavg`, no collector otherwise; every
    /// scrape collects anew.
    static func config(dataDirectory: String, loadavg: Bool) -> String {
        let collectors = CollectorSettings.allNames.map { "  \($0): \($0 == "loadavg" && loadavg)" }
        let paths = Fixtures.paths
        return """
            listen_address: "127.0.0.1:0"
            data_dir: \(dataDirectory)
            scrape_max_age: 0s
            paths: {procfs: \(paths.procfs), sysfs: \(paths.sysfs), rootfs: \(paths.rootfs), udev_data: \(paths.udevData)}
            web: {enable_lifecycle: true}
            collectors:
            \(collectors.joined(separator: "\n"))

            """
    }

    @Test func reloadAppliesTheChangedConfigAndQuitStopsTheAgent() async throws {
        let directory = TestDirectory(prefix: "scalewatch-agent")
        defer { directory.remove() }
        let file = directory.file("agent.yml")
        let data = directory.file("data")
        writeFile(file, Self.config(dataDirectory: data, loadavg: true))
        let agent = Agent(
            config: try ConfigLoader.load(file: file), configFile: file, overrides: ConfigOverrides(),
            logger: Logger(label: "test"), system: FixtureHostSystem())
        let running = Task { try await agent.run() }
        await eventually("the agent listens") { agent.httpAddress != nil }
        let port = try #require(agent.httpAddress?.port)

        try await TestHTTPConnection.with(port: port) { connection in
            #expect(try await connection.send(.GET, "/metrics").text.contains("\nnode_load1 "))

            writeFile(file, Self.config(dataDirectory: data, loadavg: false))
            let reload = try await connection.send(.POST, "/-/reload")
            #expect(reload.status == .ok)
            let metrics = try await connection.send(.GET, "/metrics").text
            #expect(!metrics.contains("\nnode_load1 "))
            #expect(metrics.contains("\nscalewatch_config_last_reload_successful 1\n"))

            writeFile(file, "bogus_key: 1\n")
            let failed = try await connection.send(.PUT, "/-/reload")
            #expect(failed.status == .internalServerError)
            #expect(failed.text.hasPrefix("failed to reload config: \(file):1:1: unknown key \"bogus_key\""))
            #expect(try await connection.send(.GET, "/metrics").text.contains("\nscalewatch_config_last_reload_successful 0\n"))

            // The client keeps its connection open: the agent stops all the same.
            let quit = try await connection.send(.POST, "/-/quit")
            #expect(quit.status == .ok)
            let asked = ContinuousClock.now
            try await running.value
            #expect(ContinuousClock.now - asked < .seconds(10))
            #expect(await connection.isClosedByServer())
        }
    }
}
