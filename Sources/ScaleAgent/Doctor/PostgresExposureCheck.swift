import Foundation

/// Whether PostgreSQL can be reached from the internet: a database on a public address is
/// probed for passwords within minutes of going up. Private networks and loopback are fine.
///
/// On the server's own host the sockets actually listening on its port decide (a wildcard
/// socket counts as every address the host has); for a remote server only `listen_addresses`
/// and the address the agent reaches it at are known.
enum PostgresExposureCheck {
    static let name = "postgres.listen"

    static func local(
        listenAddresses: String, port: Int, sockets: [ListeningSockets.Socket], hostAddresses: [[UInt8]], server: String
    ) -> DoctorCheck {
        guard !sockets.isEmpty else {
            return .pass(name, server, "listen_addresses = '\(listenAddresses)': no TCP socket listens on port \(port) (Unix socket only)")
        }
        var reachable: [[UInt8]] = []
        for socket in sockets {
            if IPAddressScope.of(bytes: socket.address) == .wildcard {
                // An IPv6 wildcard socket also accepts IPv4 unless bindv6only is set.
                reachable += hostAddresses.filter { socket.address.count == 16 || $0.count == 4 }
            } else {
                reachable.append(socket.address)
            }
        }
        let listening = sockets.map { IPAddressScope.text(of: $0.address) }
        let exposed = unique(reachable.filter { IPAddressScope.of(bytes: $0) == .publicAddress }.map(IPAddressScope.text(of:)))
        if exposed.isEmpty {
            return .pass(name, server, "port \(port) listens on \(listening.joined(separator: ", ")): loopback and private addresses only")
        }
        return .warn(
            name, server,
            "port \(port) listens on \(listening.joined(separator: ", ")), reachable at the public address\(exposed.count > 1 ? "es" : "") \(exposed.joined(separator: ", "))",
            fix: "listen_addresses = 'localhost' (or the private address the application uses) in postgresql.conf (restart), and drop port \(port) from the public interface in the firewall")
    }

    static func remote(listenAddresses: String, targetHost: String?, server: String) -> DoctorCheck {
        if let host = targetHost, let bytes = IPAddressScope.bytes(of: host), IPAddressScope.of(bytes: bytes) == .publicAddress {
            return .warn(
                name, server, "the agent reaches PostgreSQL at the public address \(host) (listen_addresses = '\(listenAddresses)')",
                fix: "connect over a private network or a tunnel; listen_addresses = the private address only (restart), and firewall the port")
        }
        let tokens = listenAddresses.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var undecided: [String] = []
        var exposed: [String] = []
        for token in tokens {
            if token == "*" || token == "localhost" {
                if token == "*" { undecided.append(token) }
                continue
            }
            guard let bytes = IPAddressScope.bytes(of: token) else { undecided.append(token); continue }
            switch IPAddressScope.of(bytes: bytes) {
            case .publicAddress: exposed.append(token)
            case .wildcard: undecided.append(token)
            case .loopback, .privateNetwork: break
            }
        }
        if !exposed.isEmpty {
            return .warn(
                name, server, "listen_addresses = '\(listenAddresses)' names the public address\(exposed.count > 1 ? "es" : "") \(exposed.joined(separator: ", "))",
                fix: "listen_addresses = 'localhost' or a private address in postgresql.conf (restart), and firewall the port")
        }
        if !undecided.isEmpty {
            return .skip(
                name, server, "listen_addresses = '\(listenAddresses)': which addresses \(undecided.joined(separator: ", ")) covers is known only on the server's host; run scalewatch doctor there")
        }
        return .pass(name, server, "listen_addresses = '\(listenAddresses)': loopback and private addresses only")
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
