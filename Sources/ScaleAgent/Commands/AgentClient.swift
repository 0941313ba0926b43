import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// A client of a running agent's Prometheus API for the commands: GET with the parameters
/// form-encoded, the answer's `data` handed back as parsed JSON, and a refusal reported as
/// Prometheus words it (`bad_data: 1:5: parse error: …`).
public struct AgentClient: Sendable {
    /// What went wrong, ready to print: the agent's own `errorType: error`, or why it could not
    /// be asked.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The agent's base URL without a trailing slash.
    public let baseURL: String
    /// How long one call may take, connecting included.
    public let timeout: TimeAmount

    public init(baseURL: String, timeout: TimeAmount = .seconds(120)) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.timeout = timeout
    }

    /// The `data` member of a successful answer to `GET path?parameters`.
    public func data(_ path: String, _ parameters: [(String, String)]) async throws -> Any {
        let url = baseURL + path + (parameters.isEmpty ? "" : "?" + Self.formEncoded(parameters))
        let (status, body) = try await get(url)
        return try Self.data(of: body, status: status, url: url)
    }

    /// Decodes an answer of the Prometheus API: `data` when `status` is success, else the
    /// refusal as a `Failure` that reads `errorType: error`.
    static func data(of body: [UInt8], status: Int, url: String) throws(Failure) -> Any {
        let document = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        guard let object = document as? [String: Any], let outcome = object["status"] as? String else {
            let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
            throw Failure(description: "\(url) answered \(status) without Prometheus' JSON: \(excerpt)")
        }
        if outcome == "success", let data = object["data"] { return data }
        let type = object["errorType"] as? String ?? "error"
        let message = object["error"] as? String ?? "the agent answered \(status) without an error message"
        throw Failure(description: "\(type): \(message)")
    }

    private func get(_ url: String) async throws -> (status: Int, body: [UInt8]) {
        // A refused connection fails at once: the agent is not running, and waiting for it
        // to start would only delay saying so.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        do {
            let response: HTTPClientResponse
            do {
                response = try await client.execute(HTTPClientRequest(url: url), timeout: timeout)
            } catch {
                throw Failure(description: "cannot reach the agent at \(baseURL): \(error)")
            }
            let body = try await response.body.collect(upTo: 256 << 20)
            try await client.shutdown()
            return (Int(response.status.code), Array(buffer: body))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// `application/x-www-form-urlencoded`, as Prometheus' API reads its query string.
    static func formEncoded(_ parameters: [(String, String)]) -> String {
        parameters.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// A label name as one segment of a path.
    static func pathSegment(_ text: String) -> String { escape(text) }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
