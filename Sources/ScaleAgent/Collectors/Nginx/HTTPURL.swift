/// An `http://host[:port]/path` URL as the agent's config takes it for local status pages;
/// anything else (https, user info, a fragment) is refused with the reason.
public struct HTTPURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: UInt16
    public var path: String

    public var description: String { "http://\(hostHeader)\(path)" }

    /// `host:port`, IPv6 literals in brackets.
    var hostHeader: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return port == 80 ? host : "\(host):\(port)"
    }

    public static func parse(_ text: String) -> Result<HTTPURL, URLProblem> {
        guard text.hasPrefix("http://") else {
            return .failure(URLProblem(text.hasPrefix("https://") ? "https is not supported; use http on the loopback" : "must start with http://"))
        }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard !authority.isEmpty, !authority.contains("@") else { return .failure(URLProblem("must name a host, without user info")) }
        guard !path.contains("#"), !text.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" || $0 == "\t" }) else {
            return .failure(URLProblem("must not contain spaces, control characters or a fragment"))
        }
        var host = Substring(authority)
        var port: UInt16 = 80
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return .failure(URLProblem("an IPv6 host needs a closing ]")) }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let value = UInt16(after.dropFirst()), value > 0 else { return .failure(URLProblem("bad port")) }
                port = value
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = UInt16(host[host.index(after: colon)...]), value > 0 else { return .failure(URLProblem("bad port")) }
            port = value
            host = host[..<colon]
        }
        guard !host.isEmpty else { return .failure(URLProblem("must name a host")) }
        return .success(HTTPURL(host: String(host), port: port, path: path.isEmpty ? "/" : String(path)))
    }

    public struct URLProblem: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
