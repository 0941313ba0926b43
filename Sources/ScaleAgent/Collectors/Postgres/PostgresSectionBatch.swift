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
/// (on one line: see `compact`).
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
        return compact("SELECT " + columns.joined(separator: ", "))
    }

    /// The SQL with every run of white space outside quotes made one space. A server that logs
    /// statements writes the text at every bind and execute, in each of its log formats: the
    /// indentation that makes the queries readable here would be most of what it writes. (The
    /// monitoring queries have no comments: a `--` comment would swallow the rest of the line.)
    static func compact(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count)
        var quote: Character?
        var space = false
        for character in sql {
            if let open = quote {
                result.append(character)
                if character == open { quote = nil }
            } else if character.isWhitespace {
                space = true
            } else {
                if space, !result.isEmpty { result.append(" ") }
                space = false
                result.append(character)
                if character == "'" || character == "\"" { quote = character }
            }
        }
        return result
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
