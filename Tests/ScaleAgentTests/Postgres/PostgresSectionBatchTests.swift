import Testing

@testable import ScaleAgent

/// The one statement of a refresh and how its JSON columns become tables.
@Suite struct PostgresSectionBatchTests {
    @Test func everySectionIsAColumnAfterTheServer() {
        let sql = PostgresSectionBatch.sql([(.locks, "SELECT 1 AS a"), (.waitEvents, "SELECT 2 AS b")])
        #expect(sql.hasPrefix("SELECT (SELECT json_agg(q) FROM (\(PostgresSectionBatch.compact(PostgresServerInfo.query))) q)::text AS \"server\""))
        #expect(sql.hasSuffix("(SELECT json_agg(q) FROM (SELECT 1 AS a) q)::text AS \"locks\", (SELECT json_agg(q) FROM (SELECT 2 AS b) q)::text AS \"wait_events\""))
    }

    @Test func whiteSpaceIsCompactedOutsideQuotes() {
        #expect(PostgresSectionBatch.compact("  SELECT a,\n    'idle  in\ttx' AS \"my  col\"\n  FROM t  ") == "SELECT a, 'idle  in\ttx' AS \"my  col\" FROM t")
        #expect(PostgresSectionBatch.compact("SELECT 'it''s  here',\n  x") == "SELECT 'it''s  here', x")
    }

    @Test(arguments: [
        (#"[{"datname":"app","count":"3"}, {"datname":"postgres","count":null}]"#, ["datname", "count"], [["app", "3"], ["postgres", nil]]),
        (#"[]"#, [], []),
        (#"[{"q":"tab\there \"quoted\" \\ \/ \u00e9\ud83d\ude00","n":12.5,"b":true}]"#, ["q", "n", "b"], [["tab\there \"quoted\" \\ / é😀", "12.5", "true"]]),
        (#"[{}]"#, [], [[]]),
    ] as [(String, [String], [[String?]])])
    func readsWhatJsonAggMakes(_ json: String, _ columns: [String], _ rows: [[String?]]) throws {
        #expect(try PostgresJSONRows.parse(json) == PostgresTable(columns: columns, rows: rows))
    }

    @Test func noRowsIsANullColumn() throws {
        #expect(try PostgresSectionBatch.table(nil) == PostgresTable(columns: [], rows: []))
    }

    @Test(arguments: [
        (#"{"a":"1"}"#, PostgresJSONRows.Problem(offset: 0, expected: "'['")),
        (#"[{"a":"1"},{"b":"2"}]"#, PostgresJSONRows.Problem(offset: 12, expected: "the column a")),
        (#"[{"a":"1"},{"a":"2","b":"3"}]"#, PostgresJSONRows.Problem(offset: 20, expected: "the column end")),
        (#"[{"a":"1"}"#, PostgresJSONRows.Problem(offset: 10, expected: "more input")),
        (#"[{"a":"1\q"}]"#, PostgresJSONRows.Problem(offset: 9, expected: "a JSON escape")),
        (#"[{"a":"1"#, PostgresJSONRows.Problem(offset: 8, expected: "the end of a string")),
    ])
    func refusesWhatItDoesNotExpect(_ json: String, _ problem: PostgresJSONRows.Problem) {
        #expect(throws: problem) { try PostgresJSONRows.parse(json) }
    }
}
