import PostgresNIO

/// Why a target or one of its queries failed, as text fit for a log line: what the server said
/// (SQLSTATE and message) or what the network did, never the connection's configuration,
/// and with the password, should it ever appear, blanked.
struct PostgresProblem: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: String, Sendable, CaseIterable {
        /// Connecting, authenticating, reading the password, TLS.
        case connect
        /// A query the server refused or canceled (SQL error, statement or lock timeout).
        case query
        /// The connection stopped answering within the refresh's hard limit and was dropped.
        case timeout
    }

    var kind: Kind
    var message: String
    /// The SQLSTATE of a server error ("42501": insufficient privilege).
    var sqlState: String?

    var description: String { message }

    /// SQLSTATEs that will not change while the connection lasts (missing privilege, view or
    /// function, library not preloaded): the section is switched off until the next connection
    /// instead of failing, and being logged, at every refresh.
    var isPermanentForSession: Bool {
        guard let state = sqlState else { return false }
        return ["42501", "42P01", "42883", "42703", "55000", "0A000"].contains(state)
    }

    /// A problem of the session itself (the connection is gone or unusable), as opposed to one
    /// query's failure.
    var losesConnection: Bool { kind != .query }

    /// `sslMode` names the target's setting in TLS failures.
    static func describing(_ error: any Error, kind: Kind, password: String?, sslMode: String) -> PostgresProblem {
        var sqlState: String?
        var kind = kind
        let text: String
        if let problem = error as? PostgresProblem {
            return problem.redacting(password)
        } else if let error = error as? PSQLError {
            if error.code == .server, let info = error.serverInfo {
                sqlState = info[.sqlState]
                let severity = info[.severity] ?? "ERROR"
                text = "\(severity) \(sqlState ?? "?????"): \(info[.message] ?? "no message")"
            } else if let explanation = tlsExplanation(error, sslMode: sslMode) {
                text = explanation
            } else if let underlying = error.underlying {
                text = "\(error.code): \(String(describing: underlying))"
            } else {
                text = "\(error.code)"
            }
            // A query that failed because the connection broke is a connection problem.
            switch error.code {
            case .server: break
            case .queryCancelled: break
            default: kind = kind == .query ? .connect : kind
            }
        } else {
            text = String(describing: error)
        }
        return PostgresProblem(kind: kind, message: text, sqlState: sqlState).redacting(password)
    }

    func redacting(_ password: String?) -> PostgresProblem {
        guard let password, !password.isEmpty, message.contains(password) else { return self }
        var copy = self
        copy.message = message.replacing(password, with: "********")
        return copy
    }
}
