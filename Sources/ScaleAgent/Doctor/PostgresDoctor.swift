import Logging
import NIOCore
import NIOPosix
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// Every check of one `collectors.postgres` target: connects as the agent does (same role,
/// password source, TLS and session timeouts), reads `PostgresFacts` in one query, and, when
/// the server runs on this host, what /proc says about it.
enum PostgresDoctor {
    static func examine(_ target: PostgresTarget, procRoot: String = "/proc") async -> [DoctorCheck] {
        let server = target.serverLabel
        let facts: PostgresFacts
        let postmaster: Int?
        do {
            (facts, postmaster) = try await read(target, procRoot: procRoot)
        } catch {
            let problem = error as? PostgresProblem
            return [
                problem?.kind == .query
                    ? .fail(
                        "postgres.role", server, "connected as \(target.user) to database \(target.database), but the doctor's query failed: \(error)",
                        fix: problem?.sqlState == "42501"
                            ? "GRANT pg_monitor TO \(PostgresRoleChecks.quoted(target.user));" : "the server log says why the query failed")
                    : .fail(
                        "postgres.role", server, "cannot connect as \(target.user) to database \(target.database): \(error)",
                        fix: "check host/port, a pg_hba.conf line for user \(target.user), and the password_file or password_env of this target"),
                .skip("postgres.*", server, "the other PostgreSQL checks need a connection"),
            ]
        }
        var checks = [
            PostgresRoleChecks.role(facts, server: server),
            PostgresRoleChecks.reservedSlot(facts, server: server),
            PostgresStatementsCheck.check(facts, server: server),
            PostgresArchivingCheck.check(facts, server: server, now: UnixTime.nowSeconds()),
        ]
        let local = await DoctorDeadline.blocking { localFacts(target, facts, postmaster: postmaster, procRoot: procRoot) }
        guard let local else {
            var host: String?
            if case .tcp(let name) = target.endpoint { host = name }
            checks.append(PostgresExposureCheck.remote(listenAddresses: facts.listenAddresses, targetHost: host, server: server))
            let remote = "the server runs on another host (its backend pid \(facts.backendPID) is no postgres process here); run scalewatch doctor there"
            checks.append(.skip(PostgresMemoryCheck.name, server, remote))
            checks.append(.skip(OOMScoreCheck.name, server, remote))
            return checks
        }
        checks.append(
            PostgresExposureCheck.local(
                listenAddresses: facts.listenAddresses, port: facts.port, sockets: local.sockets, hostAddresses: local.hostAddresses, server: server))
        checks.append(PostgresMemoryCheck.check(facts, memTotal: local.memTotal, server: server))
        checks.append(OOMScoreCheck.check(postmaster: local.postmaster, table: local.processes, excluding: Int(getpid()), server: server))
        return checks
    }

    struct LocalFacts: Sendable {
        var postmaster: Int
        var processes: ProcessTable
        var sockets: [ListeningSockets.Socket]
        var hostAddresses: [[UInt8]]
        var memTotal: Double
    }

    /// The parent of the doctor's own backend, read while the backend lives, if it is a
    /// postgres process visible here; nil when the server runs on another host (reached over a
    /// non-loopback address, or in another PID namespace).
    static func postmasterPID(_ target: PostgresTarget, backend: Int, procRoot: String) -> Int? {
        if case .tcp(let host) = target.endpoint, host != "localhost" {
            guard let bytes = IPAddressScope.bytes(of: host), IPAddressScope.of(bytes: bytes) == .loopback else { return nil }
        }
        guard let stat = try? FileReading.string(atPath: "\(procRoot)/\(backend)/stat"), let (_, parent, name) = ProcessTable.parseStat(stat),
            name == "postgres" || name == "postmaster",
            let parentStat = try? FileReading.string(atPath: "\(procRoot)/\(parent)/stat"), let (_, _, parentName) = ProcessTable.parseStat(parentStat),
            parentName == "postgres" || parentName == "postmaster"
        else { return nil }
        return parent
    }

    /// What /proc says of a server on this host; nil when it is elsewhere.
    static func localFacts(_ target: PostgresTarget, _ facts: PostgresFacts, postmaster: Int?, procRoot: String) -> LocalFacts? {
        guard let postmaster else { return nil }
        let table = ProcessTable.read(procRoot: procRoot)
        let memTotal = (try? FileReading.string(atPath: "\(procRoot)/meminfo")).flatMap(memTotalBytes) ?? 0
        return LocalFacts(
            postmaster: postmaster, processes: table, sockets: ListeningSockets.read(port: facts.port, procRoot: procRoot),
            hostAddresses: HostAddresses.read(), memTotal: memTotal)
    }

    /// `MemTotal:  16318480 kB` of /proc/meminfo, in bytes.
    static func memTotalBytes(_ meminfo: String) -> Double? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let value = Double(fields[1]) else { return nil }
            return fields.count > 2 && fields[2] == "kB" ? value * 1024 : value
        }
        return nil
    }

    /// The facts, and the postmaster's PID when the server is local.
    private static func read(_ target: PostgresTarget, procRoot: String) async throws -> (PostgresFacts, Int?) {
        let password = try PostgresSession.password(target.password)
        let configuration = PostgresSession.configuration(target, password: password, tls: try PostgresSession.tls(target))
        var logger = Logger(label: "scalewatch.doctor")
        logger.logLevel = .critical
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger)
        } catch {
            throw PostgresProblem.describing(error, kind: .connect, password: password, sslMode: target.sslMode.rawValue)
        }
        do {
            var columns: [String] = []
            var rows: [[String?]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: PostgresFacts.query), logger: logger) {
                if columns.isEmpty { columns = row.map(\.columnName) }
                rows.append(row.map { $0.bytes.map { String(buffer: $0) } })
            }
            let facts = try PostgresFacts.parse(PostgresTable(columns: columns, rows: rows))
            let postmaster = await DoctorDeadline.blocking { postmasterPID(target, backend: facts.backendPID, procRoot: procRoot) }
            try? await connection.close()
            return (facts, postmaster)
        } catch {
            try? await connection.close()
            if let problem = error as? PostgresFacts.Problem { throw PostgresProblem(kind: .query, message: problem.description) }
            throw PostgresProblem.describing(error, kind: .query, password: password, sslMode: target.sslMode.rawValue)
        }
    }
}
