#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A blocking HTTP/1.0 GET over plain TCP with one deadline for everything, for status pages
/// on the same host (nginx's stub_status): connect, send, read until the server closes.
/// HTTP/1.0 so that the server closes and never chunks; bodies beyond `maximumBytes` are
/// refused. Runs on a collector's thread, never on the concurrency pool.
public struct PlainHTTPGet: Sendable {
    public let url: HTTPURL
    public let timeout: Duration
    public static let maximumBytes = 1 << 20

    public init(url: HTTPURL, timeout: Duration) {
        self.url = url
        self.timeout = timeout
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The body of a 200 answer.
    public func fetch() throws(Failure) -> String {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(url.host, String(url.port), &hints, &found)
        guard status == 0, let first = found else {
            throw Failure(description: "\(url): cannot resolve \(url.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(found) }
        let deadline = ContinuousClock.now + timeout
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        defer { close(fd) }
        var interval = timeval(
            tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else { throw failure("connect") }
        let request = Array("GET \(url.path) HTTP/1.0\r\nHost: \(url.hostHeader)\r\nUser-Agent: scalewatch\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            throw failure("send")
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            guard ContinuousClock.now < deadline else { throw Failure(description: "\(url): no complete answer within \(timeout)") }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw errno == EAGAIN ? Failure(description: "\(url): no complete answer within \(timeout)") : failure("recv")
            }
            if count == 0 { break }
            response += chunk[..<count]
            guard response.count <= Self.maximumBytes else { throw Failure(description: "\(url): answer larger than \(Self.maximumBytes) bytes") }
        }
        return try Self.body(of: response, url: url)
    }

    /// The body after the headers of a `HTTP/1.x 200` answer.
    static func body(of response: [UInt8], url: HTTPURL) throws(Failure) -> String {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = response.indices.dropLast(3).first(where: { response[$0..<($0 + 4)].elementsEqual(separator) }) else {
            throw Failure(description: "\(url): the answer has no end of headers")
        }
        let statusLine = String(decoding: response[..<(response.firstIndex(of: UInt8(ascii: "\r")) ?? end)], as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1.") else {
            throw Failure(description: "\(url): not an HTTP answer: '\(statusLine.prefix(80))'")
        }
        guard parts[1] == "200" else { throw Failure(description: "\(url): HTTP \(parts.dropFirst().joined(separator: " "))") }
        return String(decoding: response[(end + 4)...], as: UTF8.self)
    }

    private func failure(_ call: String) -> Failure {
        Failure(description: "\(url): \(call): \(String(cString: strerror(errno)))")
    }
}
