import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

/// The agent itself: its `listen_address` answers `/-/healthy`. Not running is a WARN, not a
/// FAIL: the doctor is also run before the first start.
enum AgentHealthCheck {
    static let name = "agent.healthy"

    /// The URL at `listen_address`; a wildcard listener is asked on loopback.
    static func url(_ address: ListenAddress, https: Bool) -> String {
        let host = ["", "0.0.0.0", "::", "[::]"].contains(address.host) ? "127.0.0.1" : address.host
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(https ? "https" : "http")://\(shown):\(address.port)/-/healthy"
    }

    static func check(url: String, outcome: Result<Int, ReceiverProbe.Failure>) -> DoctorCheck {
        switch outcome {
        case .success(200):
            return .pass(name, url, "answered 200")
        case .success(let status) where status == 401 || status == 403:
            return .pass(name, url, "running (answered \(status): the web config asks for credentials)")
        case .success(let status):
            return .warn(name, url, "answered \(status)", fix: "journalctl -u scalewatch says why it is unhealthy")
        case .failure(let failure):
            return .warn(name, url, "the agent does not answer: \(failure)", fix: "systemctl enable --now scalewatch (or start scalewatch agent --config FILE)")
        }
    }

    /// The status code of `GET url` within `timeout`; a refused connection fails at once.
    static func probe(url: String, timeout: Duration) async -> Result<Int, ReceiverProbe.Failure> {
        var tls = TLSConfiguration.makeClientConfiguration()
        // Only whether something answers matters here, not whose certificate it is.
        tls.certificateVerification = .none
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .milliseconds(timeout.milliseconds)
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let outcome: Result<Int, ReceiverProbe.Failure>
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .milliseconds(timeout.milliseconds))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            outcome = .success(Int(response.status.code))
        } catch {
            outcome = .failure(ReceiverProbe.Failure(description: NetworkErrorText.describe(error)))
        }
        try? await client.shutdown()
        return outcome
    }
}
