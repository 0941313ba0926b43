import Testing

@testable import ScaleAgent

@Suite struct JournalSettingsTests {
    @Test func readsTheJournalAndPostgresLogSections() throws {
        let config = try ConfigLoader.parse(
            """
            collectors:
              journal:
                directories: [/var/log/journal/remote]
                files:
                  - /srv/a.journal
                units_limit: 5
              postgres_logs:
                files: ['/var/log/postgresql/*.log']
            """, file: "a.yml")
        #expect(config.collectors.journal.directories == ["/var/log/journal/remote"])
        #expect(config.collectors.journal.files == ["/srv/a.journal"])
        #expect(config.collectors.journal.unitsLimit == 5)
        #expect(config.collectors.postgresLogs.files == ["/var/log/postgresql/*.log"])
        #expect(config.collectors.enabled.isSuperset(of: ["journal", "postgres_logs"]))
    }

    @Test func bothAreOnByDefaultAndCanBeTurnedOff() throws {
        #expect(AgentConfig().collectors.enabled.isSuperset(of: ["journal", "postgres_logs"]))
        let config = try ConfigLoader.parse("collectors:\n  journal: false\n  postgres_logs: {enabled: false}\n", file: "a.yml")
        #expect(!config.collectors.enabled.contains("journal"))
        #expect(!config.collectors.enabled.contains("postgres_logs"))
    }

    @Test(arguments: [
        ("collectors:\n  journal:\n    units_limit: many\n", "a.yml:3:18: collectors.journal.units_limit must be a whole number from 0 to 1000, got 'many'"),
        ("collectors:\n  journal:\n    units_limit: 5000\n", "a.yml:3:18: collectors.journal.units_limit must be a whole number from 0 to 1000, got '5000'"),
        ("collectors:\n  journal:\n    files: /a.journal\n", "a.yml:3:12: collectors.journal.files must be a list of paths, got '/a.journal'"),
        ("collectors:\n  journal:\n    files: [a.journal]\n", "a.yml:3:13: collectors.journal.files must hold absolute paths, got 'a.journal'"),
        ("collectors:\n  journal:\n    directories: ['/var/log/*']\n", "a.yml:3:19: collectors.journal.directories: glob patterns are not supported here, got '/var/log/*'"),
        ("collectors:\n  journal:\n    unit_limit: 5\n", "a.yml:3:5: unknown key \"unit_limit\" in collectors.journal; expected one of: enabled, directories, files, units_limit"),
        ("collectors:\n  postgres_logs:\n    files: [[a]]\n", "a.yml:3:13: collectors.postgres_logs.files must be a string, got a list"),
        ("collectors:\n  postgres_logs:\n    paths: []\n", "a.yml:3:5: unknown key \"paths\" in collectors.postgres_logs; expected one of: enabled, files"),
    ])
    func refusesMistakesWithTheirPosition(yaml: String, expected: String) {
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(yaml, file: "a.yml") }
        #expect(error?.description == expected)
    }
}
