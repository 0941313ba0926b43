import AlertEngine
import AsyncHTTPClient
import Logging
import MetricStore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// POSTs notification payloads with async-http-client: one client (and connection pool) per
/// TLS setting, on NIO's shared event loops. Credentials are read from their files at each
/// request, so a rotated token is used without a reload, and never reach a log line.
final class WebhookSender: Sendable {
    private struct TLSKey: Hashable {
        var caFile: String?
        var insecureSkipVerify: Bool
    }

    private let clients = Locked<[TLSKey: HTTPClient]>([:])
    /// Bytes of a receiver's answer kept for the log when it refuses a message.
    static let answerExcerpt = 512

    init() {}

    struct SendFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// One attempt. Never throws: every failure becomes an outcome, with a description that
    /// holds no secret (the URL's user information is left out).
    func send(body: String, idempotencyKey: String?, to webhook: WebhookSettings) async -> (DeliveryOutcome, String?) {
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "scalewatch/\(ScaleAgentVersion.current)")
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        do {
            if let authorization = try Self.authorization(webhook.http) {
                request.headers.add(name: "Authorization", value: authorization)
            }
        } catch {
            return (.retryable(reason: .other, retryAfter: nil), error.description)
        }
        request.body = .bytes(ByteBuffer(string: body))
        let client: HTTPClient
        do {
            client = try self.client(for: webhook.http)
        } catch {
            return (.retryable(reason: .other, retryAfter: nil), "tls_config: \(error)")
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(webhook.timeout.milliseconds))
            let answer = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            switch code {
            case 200..<300:
                return (.delivered, nil)
            case 429, 500..<600:
                let retryAfter = response.headers.first(name: "Retry-After").flatMap { Self.retryAfter($0) }
                return (.retryable(reason: code == 429 ? .clientError : .serverError, retryAfter: retryAfter), Self.describe(code, answer))
            default:
                return (.refused(reason: code < 500 && code >= 400 ? .clientError : .other), Self.describe(code, answer))
            }
        } catch {
            return (.retryable(reason: .other, retryAfter: nil), Self.describe(error))
        }
    }

    func shutdown() async {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try? await client.shutdown() }
    }

    private func client(for http: HTTPClientSettings) throws -> HTTPClient {
        let key = TLSKey(caFile: http.caFile, insecureSkipVerify: http.insecureSkipVerify)
        if let existing = clients.withLock({ $0[key] }) { return existing }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = http.caFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        }
        if http.insecureSkipVerify { tls.certificateVerification = .none }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        configuration.timeout.connect = .seconds(10)
        let created = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let (client, extra) = clients.withLock { clients -> (HTTPClient, HTTPClient?) in
            if let raced = clients[key] { return (raced, created) }
            clients[key] = created
            return (created, nil)
        }
        if let extra { Task { try? await extra.shutdown() } }
        return client
    }

    /// The `Authorization` header value, from the credentials' files.
    static func authorization(_ http: HTTPClientSettings) throws(SendFailure) -> String? {
        switch http.authentication {
        case nil:
            return nil
        case .basic(let username, let passwordFile):
            let password = try secret(passwordFile, what: "basic_auth.password_file")
            return "Basic " + base64(Array("\(username):\(password)".utf8))
        case .authorization(let type, let credentialsFile):
            return "\(type) " + (try secret(credentialsFile, what: "authorization.credentials_file"))
        }
    }

    private static func secret(_ path: String, what: String) throws(SendFailure) -> String {
        do {
            var text = try FileReading.string(atPath: path)
            while text.last == "\n" || text.last == "\r" { text.removeLast() }
            return text
        } catch {
            // The path is not secret; the contents are never read into a message.
            throw SendFailure(description: "\(what) \(path) cannot be read: \(error)")
        }
    }

    /// `Retry-After` in either of its forms, seconds or an HTTP date; nil (the backoff decides)
    /// for anything else.
    static func retryAfter(_ text: String, now: Double = UnixTime.nowSeconds()) -> Duration? {
        let trimmed = text.trimmingCharacters(in: " \t")
        if let seconds = Int(trimmed) { return seconds >= 0 ? .seconds(seconds) : nil }
        guard let date = HTTPDate.unixSeconds(trimmed) else { return nil }
        return .milliseconds(max(0, Int64((Double(date) - now) * 1000)))
    }

    private static func describe(_ code: Int, _ answer: ByteBuffer?) -> String {
        var text = "HTTP \(code)"
        if let answer, answer.readableBytes > 0 {
            let excerpt = String(decoding: answer.readableBytesView.prefix(answerExcerpt), as: UTF8.self)
            text += ": " + excerpt.replacingOccurrences(of: "\n", with: " ")
        }
        return text
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timeout"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let b0 = chunk[chunk.startIndex]
            let b1 = chunk.count > 1 ? chunk[chunk.startIndex + 1] : 0
            let b2 = chunk.count > 2 ? chunk[chunk.startIndex + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(chunk.count > 1 ? alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(chunk.count > 2 ? alphabet[Int(b2 & 0x3f)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return String(result)
    }

    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
