/// The due sections of a refresh in one statement: each section's query becomes one column,
/// its rows aggregated to a JSON array of objects (`json_agg`), and the server's identity rides
/// along in the first. One statement instead of twenty is one parse, one plan, one transaction,
/// one round trip and — where the server logs every statement — one log line, which is most of
/// what a monitoring query costs the server. A section that fails makes the statement fail; the
/// state machine then runs the sections alone to find it and keeps it apart from then on.
///
/// ```
/// SELECT (SELECT json_agg(q) FROM (<server query>) q)::text AS "server",
///        (SELECT json_agg(q) FROM (<activity query>) q)::text AS "activity", …
/// ```
///
/// Every query casts its columns to text (`PostgresTable`), so each array holds objects whose
/// values are strings or null; an empty result is a NULL column.
enum PostgresSectionBatch {
    static let serverColumn = "server"

    /// The statement for `sections` (each with its SQL for this server), or nil when there is
    /// none to run.
    static func sql(_ sections: [(PostgresSection, String)]) -> String {
        var columns = [column(PostgresServerInfo.query, serverColumn)]
        for (section, query) in sections {
            columns.append(column(query, section.rawValue))
        }
        return "SELECT " + columns.joined(separator: ",\n  ")
    }

    private static func column(_ query: String, _ name: String) -> String {
        "(SELECT json_agg(q) FROM (\(query)) q)::text AS \"\(name)\""
    }

    /// One column's text (nil for NULL: no rows) as a table.
    static func table(_ json: String?) throws(PostgresJSONRows.Problem) -> PostgresTable {
        guard let json else { return PostgresTable(columns: [], rows: []) }
        return try PostgresJSONRows.parse(json)
    }
}
