import Foundation

/// The monitoring role: least privilege that still sees everything (`pg_monitor`), and a
/// connection slot the agent can get when the application has taken all the others — the
/// moment the agent is needed most.
enum PostgresRoleChecks {
    static func role(_ facts: PostgresFacts, server: String) -> DoctorCheck {
        let name = "postgres.role"
        if facts.superuser {
            return .warn(
                name, server, "the agent connects as \(facts.role), a superuser: it can read and change everything it watches",
                fix: "CREATE ROLE scalewatch LOGIN PASSWORD '…' IN ROLE pg_monitor; then set user: scalewatch (and password_file) in collectors.postgres.targets")
        }
        if facts.monitor {
            return .pass(name, server, "role \(facts.role) connects and is a member of pg_monitor (not a superuser)")
        }
        return .fail(
            name, server,
            "role \(facts.role) connects but is not in pg_monitor: other sessions' queries, pg_stat_statements and settings stay hidden",
            fix: "GRANT pg_monitor TO \(quoted(facts.role));")
    }

    /// Whether the agent gets a slot when `max_connections` is reached. PostgreSQL 16 reserves
    /// `reserved_connections` for members of `pg_use_reserved_connections`; before it only
    /// `superuser_reserved_connections` exists, which a least-privilege role cannot use.
    static func reservedSlot(_ facts: PostgresFacts, server: String) -> DoctorCheck {
        let name = "postgres.reserved_slot"
        let pool = "max_connections \(facts.maxConnections), superuser_reserved_connections \(facts.superuserReserved)"
            + (facts.reserved.map { ", reserved_connections \($0)" } ?? "")
        if facts.superuser {
            if facts.superuserReserved > 0 {
                return .pass(name, server, "\(pool): the superuser \(facts.role) gets one of \(facts.superuserReserved) reserved slots in a full pool")
            }
            return .warn(
                name, server, "\(pool): no slot is reserved, the agent is refused like any client once the pool is full",
                fix: "ALTER SYSTEM SET superuser_reserved_connections = 3; (restart)")
        }
        if let reserved = facts.reserved {
            if reserved > 0 && facts.useReserved {
                return .pass(name, server, "\(pool): role \(facts.role) may use the \(reserved) reserved_connections in a full pool")
            }
            let grant = facts.useReserved ? "" : "GRANT pg_use_reserved_connections TO \(quoted(facts.role)); "
            return .warn(
                name, server,
                "\(pool): role \(facts.role) has no reserved slot (\(facts.useReserved ? "reserved_connections is 0" : "not in pg_use_reserved_connections")): in a full pool the agent's reconnect is refused",
                fix: grant + (reserved > 0 ? "" : "ALTER SYSTEM SET reserved_connections = 3; (restart)"))
        }
        return .warn(
            name, server,
            "\(pool): PostgreSQL \(facts.versionText) reserves slots for superusers only, so role \(facts.role) is refused in a full pool (its open session keeps reporting, a reconnect does not)",
            fix: "PostgreSQL 16+: reserved_connections = 3 and GRANT pg_use_reserved_connections TO \(quoted(facts.role)); before 16: cap the application's roles (ALTER ROLE app CONNECTION LIMIT \(max(1, facts.maxConnections - facts.superuserReserved - 2))) or pool them (pgbouncer)")
    }

    /// An identifier as SQL writes it when it needs quotes.
    static func quoted(_ identifier: String) -> String {
        let plain = identifier.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) } && !(identifier.first?.isNumber ?? true)
        return plain ? identifier : "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
