/// A query result as text: every monitoring query casts its columns to `text`, so that one
/// decoder serves all of them and the mapping to metrics is a pure function of strings that
/// unit tests write by hand. NULL is nil.
struct PostgresTable: Sendable, Equatable {
    let columns: [String]
    let rows: [[String?]]
    private let indexByName: [String: Int]

    init(columns: [String], rows: [[String?]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "BUG: row width differs from the column count")
        self.columns = columns
        self.rows = rows
        var index: [String: Int] = [:]
        for (position, name) in columns.enumerated() where index[name] == nil { index[name] = position }
        self.indexByName = index
    }

    static func == (lhs: PostgresTable, rhs: PostgresTable) -> Bool {
        lhs.columns == rhs.columns && lhs.rows == rhs.rows
    }

    var records: [Record] { rows.map { Record(table: self, values: $0) } }

    func has(_ column: String) -> Bool { indexByName[column] != nil }

    struct Record {
        let table: PostgresTable
        let values: [String?]

        /// The column's text; nil for NULL or a column the query did not return (older servers).
        subscript(_ column: String) -> String? {
            guard let index = table.indexByName[column] else { return nil }
            return values[index]
        }

        /// The column as a number; nil for NULL, an absent column or text that is no number.
        func number(_ column: String) -> Double? {
            self[column].flatMap(PostgresTable.number)
        }

        /// The column as a label value: NULL is the empty string, as postgres_exporter has it.
        func label(_ column: String) -> String { self[column] ?? "" }

        func bool(_ column: String) -> Bool? {
            switch self[column] {
            case "true", "t", "on": true
            case "false", "f", "off": false
            default: nil
            }
        }
    }

    /// PostgreSQL's text for numbers: integers, decimals, exponents, `NaN`, `Infinity`.
    static func number(_ text: String) -> Double? {
        switch text {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }
}
