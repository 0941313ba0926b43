import Foundation
import NIOCore
import Testing
import TestSupport

@testable import ScaleAgent

#if canImport(Glibc)
import Glibc
#endif

/// The runner's deadline, the receiver probe on real loopback sockets, and the printed report.
@Suite struct DoctorRunnerTests {
    @Test func deadlineCutsWorkThatNeverReturns() async {
        let started = ContinuousClock.now
        let value: Int? = await DoctorDeadline.run(limit: .milliseconds(200)) {
            try? await Task.sleep(for: .seconds(3_600))
            return 1
        }
        #expect(value == nil)
        // Far below the hour the work would take. Not tighter: while the whole unit suite runs,
        // other tests can hold the cooperative threads (two on the CI machine) for tens of
        // seconds before this task resumes.
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(await DoctorDeadline.run(limit: .seconds(5)) { 7 } == 7)
    }

    @Test func blockingWorkRunsOffThePool() async {
        let value = await DoctorDeadline.blocking { () -> Int in
            usleep(10_000)
            return 3
        }
        #expect(value == 3)
    }

    /// A listening loopback socket and its port; closed by the caller.
    static func listener() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        try #require(bound == 0 && listen(fd, 4) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func endpoint(_ url: String) -> ReceiverProbe.Endpoint {
        ReceiverProbe.Endpoint(label: "receiver ops webhook 0", url: url, http: HTTPClientSettings(), timeout: .seconds(1))
    }

    @Test func probeConnectsWithoutSending() async throws {
        let (fd, port) = try Self.listener()
        defer { close(fd) }
        let elapsed = try await ReceiverProbe.probe(Self.endpoint("http://127.0.0.1:\(port)/hook"), timeout: .seconds(2))
        // Connected (a timeout would have thrown); the measured time includes waiting for a
        // thread while the rest of the suite runs.
        #expect(elapsed >= .zero && elapsed < .seconds(60))
    }

    @Test func probeOfAClosedPortFails() async throws {
        let (fd, port) = try Self.listener()
        close(fd)
        await #expect(throws: ReceiverProbe.Failure(description: "cannot connect to 127.0.0.1:\(port): Connection refused")) {
            try await ReceiverProbe.probe(Self.endpoint("http://127.0.0.1:\(port)/hook"), timeout: .seconds(2))
        }
    }

    @Test func networkErrorsReadPlainly() {
        #expect(NetworkErrorText.describe(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == "Connection refused")
        #expect(NetworkErrorText.describe(ChannelError.connectTimeout(.milliseconds(1500))) == "no answer to the connection within 1500 ms")
    }

    @Test func tlsHandshakeThatNeverFinishesTimesOut() async throws {
        let (fd, port) = try Self.listener()
        defer { close(fd) }
        let started = ContinuousClock.now
        do {
            _ = try await ReceiverProbe.probe(Self.endpoint("https://127.0.0.1:\(port)/hook"), timeout: .milliseconds(300))
            Issue.record("a listener that never answers completed a TLS handshake")
        } catch let failure as ReceiverProbe.Failure {
            #expect(failure.description.contains("did not finish within"), "\(failure)")
        }
        // Cut by the 300 ms timeout, not hung; the bound leaves room for a busy test run.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test(arguments: ["ftp://host/x", "not a url", "http:///path"])
    func probeRefusesWhatIsNoHTTPURL(_ url: String) async {
        await #expect(throws: ReceiverProbe.Failure(description: "not an http(s) URL")) {
            try await ReceiverProbe.probe(Self.endpoint(url), timeout: .seconds(1))
        }
    }

    @Test func endpointsListEveryWebhookAndAlertmanager() {
        var alerting = AlertingSettings()
        var ops = ReceiverSettings(name: "ops")
        ops.webhooks = [WebhookSettings(url: "http://a/1"), WebhookSettings(url: "https://b/2")]
        alerting.receivers = [ops]
        var manager = AlertmanagerSettings()
        manager.targets = ["am1:9093", "am2:9093"]
        alerting.alertmanagers = [manager]
        let endpoints = ReceiverProbe.endpoints(alerting)
        #expect(endpoints.map(\.label) == ["receiver ops webhook 0", "receiver ops webhook 1", "alertmanager am1:9093", "alertmanager am2:9093"])
        #expect(endpoints.map(\.url).last == "http://am2:9093/api/v2/alerts")
    }

    @Test func receiverAndAgentVerdicts() {
        let endpoint = Self.endpoint("https://hooks.example/x")
        #expect(ReceiverProbe.check(endpoint, outcome: .success(.milliseconds(12))).evidence == "connected and completed the TLS handshake in 12 ms (nothing sent)")
        #expect(ReceiverProbe.check(endpoint, outcome: .failure(.init(description: "refused"))).status == .fail)
        #expect(ReceiverProbe.none().status == .warn)
        #expect(AgentHealthCheck.check(url: "u", outcome: .success(200)).status == .pass)
        #expect(AgentHealthCheck.check(url: "u", outcome: .success(401)).status == .pass)
        #expect(AgentHealthCheck.check(url: "u", outcome: .success(503)).status == .warn)
        #expect(AgentHealthCheck.check(url: "u", outcome: .failure(.init(description: "refused"))).status == .warn)
        #expect(AgentHealthCheck.url(ListenAddress(host: "0.0.0.0", port: 9470), https: false) == "http://127.0.0.1:9470/-/healthy")
        #expect(AgentHealthCheck.url(ListenAddress(host: "::1", port: 9470), https: true) == "https://[::1]:9470/-/healthy")
    }

    static let checks = [
        DoctorCheck(name: "postgres.role", subject: "db:5432", status: .pass, evidence: "role scalewatch is in pg_monitor"),
        DoctorCheck(name: "store.space", subject: "/var/lib/scalewatch", status: .warn, evidence: "9% free", remedy: "free space"),
        DoctorCheck(name: "postgres.*", subject: "db2:5432", status: .skip, evidence: "no connection"),
    ]

    @Test func textReport() {
        #expect(
            DoctorReport.text(Self.checks) == """
                PASS  postgres.role  db:5432: role scalewatch is in pg_monitor
                WARN  store.space    /var/lib/scalewatch: 9% free
                                     fix: free space
                SKIP  postgres.*     db2:5432: no connection
                1 passed, 1 warning, 0 failed, 1 skipped

                """)
        #expect(DoctorReport.exitStatus(Self.checks) == 0)
    }

    @Test func everythingFine() {
        let fine = [Self.checks[0]]
        #expect(DoctorReport.text(fine).hasSuffix("1 passed, 0 warnings, 0 failed\n"))
        #expect(DoctorReport.exitStatus(fine) == 0)
        #expect(DoctorReport.exitStatus([]) == 0)
    }

    @Test func jsonReportAndFailingExit() throws {
        let failing = Self.checks + [DoctorCheck(name: "postgres.archiving", subject: "db:5432", status: .fail, evidence: "archiver \"failing\"", remedy: "fix it")]
        #expect(DoctorReport.exitStatus(failing) == 1)
        let document = try JSONSerialization.jsonObject(with: Data(DoctorReport.json(failing).utf8)) as? [String: Any]
        #expect(document?["status"] as? String == "fail")
        let checks = try #require(document?["checks"] as? [[String: String]])
        #expect(checks.map { $0["status"] } == ["pass", "warn", "skip", "fail"])
        #expect(checks[3]["evidence"] == "archiver \"failing\"")
        #expect(checks[0]["fix"] == nil && checks[3]["fix"] == "fix it")
    }

    /// The whole runner on a config without PostgreSQL: a store directory that exists, one
    /// receiver listening and one not, no agent running; lines in the documented order.
    @Test func runnerOnAConfig() async throws {
        let directory = TestDirectory(prefix: "scalewatch-doctor")
        defer { directory.remove() }
        let (fd, open) = try Self.listener()
        defer { close(fd) }
        let (closedFD, closed) = try Self.listener()
        close(closedFD)
        let file = try directory.write("agent.yml", """
            listen_address: "127.0.0.1:\(closed)"
            data_dir: \(directory.path)
            alerting:
              route: {receiver: ops}
              receivers:
                - name: ops
                  webhook_configs: [{url: 'http://127.0.0.1:\(open)/a'}, {url: 'http://127.0.0.1:\(closed)/b'}]
            """)
        let runner = DoctorRunner(config: try DoctorRunner.loadConfig(file: file), checkTimeout: .seconds(5), shippedUnit: directory.file("none.service"))
        let checks = await runner.run()
        #expect(checks.first?.name == "store.space")
        #expect(checks.first?.status == .pass, "\(checks.first?.evidence ?? "")")
        let receivers = checks.filter { $0.name == "alerting.receiver" }
        #expect(receivers.map(\.status) == [.pass, .fail])
        #expect(receivers.last?.evidence == "cannot connect to 127.0.0.1:\(closed): Connection refused")
        #expect(checks.last?.name == "agent.healthy")
        #expect(checks.last?.status == .warn)
        #expect(DoctorReport.exitStatus(checks) == 1)
    }

    @Test func configResolution() throws {
        // No --config and no installed config: the defaults.
        let config = try DoctorRunner.loadConfig(file: nil, installedConfigFile: "/nonexistent/agent.yml")
        #expect(config == AgentConfig())
        #expect(throws: (any Error).self) { try DoctorRunner.loadConfig(file: "/nonexistent/agent.yml") }
    }
}
