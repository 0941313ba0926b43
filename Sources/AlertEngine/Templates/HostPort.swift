/// Prometheus' `stripPort` and `stripDomain`, on Go's `net.SplitHostPort`, `JoinHostPort` and
/// `ParseIP` rules.
enum HostPort {
    /// "host:port" and "[v6]:port" give the host; anything that does not split is returned whole.
    static func stripPort(_ hostPort: String) -> String {
        split(hostPort)?.host ?? hostPort
    }

    /// "foo.example.com:12345" gives "foo:12345"; IP addresses are returned whole.
    static func stripDomain(_ hostPort: String) -> String {
        let parts = split(hostPort)
        let host = parts?.host ?? hostPort
        if isIPAddress(host) { return hostPort }
        let shortHost = String(host.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0])
        guard let port = parts?.port, !port.isEmpty else { return shortHost }
        return shortHost.contains(":") ? "[\(shortHost)]:\(port)" : "\(shortHost):\(port)"
    }

    /// Go's `net.SplitHostPort`; `nil` where Go returns an error.
    static func split(_ hostPort: String) -> (host: String, port: String)? {
        let characters = Array(hostPort)
        guard let lastColon = characters.lastIndex(of: ":") else { return nil }
        var host: String
        var noOpenBracketFrom = 0
        var noCloseBracketFrom = 0
        if characters.first == "[" {
            guard let close = characters.firstIndex(of: "]"), close + 1 == lastColon else { return nil }
            host = String(characters[1..<close])
            noOpenBracketFrom = 1
            noCloseBracketFrom = close + 1
        } else {
            host = String(characters[..<lastColon])
            if host.contains(":") { return nil }
        }
        if characters[noOpenBracketFrom...].contains("[") || characters[noCloseBracketFrom...].contains("]") { return nil }
        return (host, String(characters[(lastColon + 1)...]))
    }

    /// Go's `net.ParseIP`: dotted IPv4 without leading zeros, or IPv6 (with `::` and an
    /// optional trailing IPv4 part), no zone.
    static func isIPAddress(_ text: String) -> Bool {
        text.contains(":") ? isIPv6(Substring(text)) : isIPv4(Substring(text))
    }

    private static func isIPv4(_ text: Substring) -> Bool {
        let fields = text.split(separator: ".", omittingEmptySubsequences: false)
        return fields.count == 4 && fields.allSatisfy { field in
            (1...3).contains(field.count) && field.allSatisfy { $0.isASCII && $0.isWholeNumber }
                && (field.count == 1 || field.first != "0") && Int(field)! <= 255
        }
    }

    private static func isIPv6(_ text: Substring) -> Bool {
        var rest = text
        var groups = 0
        var sawEllipsis = false
        if rest.hasPrefix("::") {
            sawEllipsis = true
            rest = rest.dropFirst(2)
            if rest.isEmpty { return true }
        }
        while groups < 8 {
            let hex = rest.prefix { $0.isHexDigit && $0.isASCII }
            if rest.dropFirst(hex.count).first == "." {
                // A trailing IPv4 part fills the last two groups.
                guard (sawEllipsis || groups == 6) && groups + 2 <= 8, isIPv4(rest) else { return false }
                groups += 2
                rest = ""
                break
            }
            guard (1...4).contains(hex.count) else { return false }
            groups += 1
            rest = rest.dropFirst(hex.count)
            if rest.isEmpty { break }
            guard rest.first == ":", rest.count > 1 else { return false }
            rest = rest.dropFirst()
            if rest.first == ":" {
                if sawEllipsis { return false }
                sawEllipsis = true
                rest = rest.dropFirst()
                if rest.isEmpty { break }
            }
        }
        guard rest.isEmpty else { return false }
        // "::" stands for at least one group of zeros.
        return sawEllipsis ? groups < 8 : groups == 8
    }
}
