import Logging
import NIOHTTP1
import Testing
import TestSupport

@testable import ScaleAgent

/// The web config file on a real server: authentication on every endpoint, the headers on
/// every answer, plain HTTP to a TLS listener refused, and the file followed as it changes.
@Suite struct WebConfigHTTPTests {
    static let fixtures = Fixtures.directory + "/webconfig"
    static let hash = "$2y$04$jrDAE56E.bokLTHwhL2JSenF7JFsi52XuAzc5tDalhdhugsdGyuJK"
    static let withUsers = try! WebConfigLoader.parse(
        "http_server_config:\n  headers:\n    X-Frame-Options: deny\nbasic_auth_users:\n  prometheus: '\(hash)'\n", file: "web.yml")

    static func basic(_ credentials: String) -> HTTPHeaders {
        ["Authorization": "Basic " + WebhookSender.base64(Array(credentials.utf8))]
    }

    @Test(arguments: ["/metrics", "/-/healthy", "/", "/nowhere"])
    func everyEndpointAsksForCredentials(_ path: String) async throws {
        let security = WebSecurityCounters()
        try await ServerUnderTest.with(webConfig: Self.withUsers, security: security) { server in
            let refused = try await TestHTTPConnection.send(.GET, port: server.port, path)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers["WWW-Authenticate"] == ["Basic"])
            #expect(refused.headers["X-Frame-Options"] == ["deny"])
            let admitted = try await TestHTTPConnection.send(.GET, port: server.port, path, headers: Self.basic("prometheus:right"))
            #expect(admitted.status == (path == "/nowhere" ? .notFound : .ok))
            #expect(admitted.headers["X-Frame-Options"] == ["deny"])
            let wrong = try await TestHTTPConnection.send(.GET, port: server.port, path, headers: Self.basic("prometheus:wrong"))
            #expect(wrong.status == .unauthorized)
        }
        #expect(security.authFailures(.missingCredentials) == 1)
        #expect(security.authFailures(.wrongPassword) == 1)
    }

    @Test func withoutUsersEveryoneIsServed() async throws {
        try await ServerUnderTest.with { server in
            let response = try await TestHTTPConnection.send(.GET, port: server.port, "/-/healthy")
            #expect(response.status == .ok)
        }
    }

    @Test(arguments: [
        ("Basic cHJvbWV0aGV1czpyaWdodA==", "prometheus", "right"),
        ("basic cHJvbWV0aGV1czpyaWdodA==", "prometheus", "right"),
        ("Basic cHJvbWV0aGV1czpyaTpnaHQ=", "prometheus", "ri:ght"),
        ("Basic OnBhc3M=", "", "pass"),
        ("Basic dXNlcjo=", "user", ""),
    ])
    func credentials(_ header: String, _ user: String, _ password: String) throws {
        let parsed = try #require(WebConfigMiddleware.credentials(header))
        #expect(parsed.user == user && parsed.password == Array(password.utf8))
    }

    @Test(arguments: [nil, "", "Basic", "Basic ", "Bearer cHJvbWV0aGV1czpyaWdodA==", "Basic !!!", "Basic bm9jb2xvbg=="])
    func notCredentials(_ header: String?) {
        #expect(WebConfigMiddleware.credentials(header) == nil)
    }

    @Test func plainHTTPToTheTLSListenerIsAnsweredAndCounted() async throws {
        let config = try WebConfigLoader.parse(
            "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n", file: Self.fixtures + "/web.yml")
        let security = WebSecurityCounters()
        try await ServerUnderTest.with(webConfig: config, security: security) { server in
            let answer = try await exchangeRawBytes(port: server.port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(answer == PlainHTTPRefusalHandler.answer)
        }
        #expect(security.tlsFailures(.plainHTTP) == 1)
    }

    @Test func theFileIsFollowedAndABrokenChangeKeepsTheOldOne() async throws {
        let directory = TestDirectory(prefix: "WebConfigHTTPTests")
        defer { directory.remove() }
        let path = try directory.write("web.yml", "")
        let security = WebSecurityCounters()
        let source = WebConfigSource(file: path, config: try WebConfigLoader.load(file: path), counters: security, logger: Logger(label: "test"))
        #expect(source.current.users.isEmpty)

        try directory.write("web.yml", "basic_auth_users:\n  prometheus: '\(Self.hash)'\n")
        // Looked at no more than once per interval.
        #expect(source.current.users.isEmpty)
        try await Task.sleep(for: WebConfigSource.checkInterval + .milliseconds(100))
        #expect(source.current.users.keys.sorted() == ["prometheus"])

        try directory.write("web.yml", "basic_auth_users:\n  prometheus: plaintext\n")
        try await Task.sleep(for: WebConfigSource.checkInterval + .milliseconds(100))
        #expect(source.current.users.keys.sorted() == ["prometheus"])
        var metrics = MetricsBuilder()
        security.report(into: &metrics)
        let text = String(decoding: ExpositionRenderer.render(metrics.build(), as: .text), as: UTF8.self)
        #expect(text.contains("scalewatch_web_config_last_reload_successful 0\n"))
        #expect(text.contains("scalewatch_web_config_reload_failures_total 1\n"))

        // A reload names no file any more: nothing is asked.
        source.replace(file: nil, config: .none)
        #expect(source.current.users.isEmpty)
    }
}
