import MetricStore

/// `host:port` to bind the HTTP server to; IPv6 hosts in brackets (`[::1]:9470`).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public static let `default` = ListenAddress(host: "127.0.0.1", port: 9470)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Nil with the reason when `text` is not `host:port` with a port from 0 to 65535.
    public static func parse(_ text: String) -> Result<ListenAddress, ListenAddressError> {
        guard let colon = text.lastIndex(of: ":") else { return .failure(.init("expected host:port, e.g. 127.0.0.1:9470")) }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(portText), (0...65535).contains(port) else {
            return .failure(.init("expected a port number from 0 to 65535 after ':' in '\(EchoedValue(text))'"))
        }
        if host.isEmpty { host = "0.0.0.0" }
        return .success(ListenAddress(host: host, port: port))
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

public struct ListenAddressError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
