import Testing

@testable import ScaleAgent

@Suite struct PostgresSettingsTests {
    @Test func readsTargets() throws {
        let config = try ConfigLoader.parse(
            """
            collectors:
              postgres:
                targets:
                  - host: db1.internal
                    port: 5433
                    user: scalewatch
                    database: app
                    sslmode: verify-full
                    sslrootcert: /etc/ssl/pg-ca.pem
                    password_file: /etc/scalewatch/pg.password
                    labels: {cluster: main}
                    collection_timeout: 1500ms
                    statement_timeout: 3s
                    lock_timeout: 200ms
                    top_statements: 5
                    statements_window: 2m
                    slow_interval: 5m
                    section_intervals: {locks: 30s, tables: 15m}
                  - socket_dir: /var/run/postgresql/
                    password_env: PGPASSWORD_SCALEWATCH
            """, file: "a.yml")
        #expect(config.collectors.enabled.contains("postgres"))
        let targets = config.collectors.postgres.targets
        #expect(targets.count == 2)
        #expect(targets[0].endpoint == .tcp(host: "db1.internal") && targets[0].port == 5433)
        #expect(targets[0].user == "scalewatch" && targets[0].database == "app")
        #expect(targets[0].sslMode == .verifyFull && targets[0].sslRootCert == "/etc/ssl/pg-ca.pem")
        #expect(targets[0].password == .file("/etc/scalewatch/pg.password"))
        #expect(targets[0].labels == ["cluster": "main"])
        #expect(targets[0].collectionTimeout == .milliseconds(1500) && targets[0].statementTimeout == .seconds(3))
        #expect(targets[0].lockTimeout == .milliseconds(200))
        #expect(targets[0].topStatements == 5 && targets[0].statementsWindow == .seconds(120))
        #expect(targets[0].serverLabel == "db1.internal:5433")
        #expect(targets[0].sectionIntervals == [.locks: .seconds(30), .tables: .seconds(900)])
        let cadence = PostgresSectionCadence(targets[0])
        #expect(cadence.interval(.locks) == .seconds(30) && cadence.interval(.tables) == .seconds(900))
        #expect(cadence.interval(.databaseSize) == .seconds(300) && cadence.interval(.bgwriter) == .seconds(150))
        #expect(cadence.interval(.activity) == .zero && cadence.interval(.statements) == .seconds(120))
        #expect(targets[1].endpoint == .socket(directory: "/var/run/postgresql"))
        #expect(targets[1].password == .environment("PGPASSWORD_SCALEWATCH"))
        #expect(targets[1].user == "postgres" && targets[1].database == "postgres" && targets[1].sslMode == .prefer)
    }

    @Test func offByDefault() throws {
        #expect(!AgentConfig().collectors.enabled.contains("postgres"))
        #expect(AgentConfig().collectors.postgres.targets.isEmpty)
        let off = try ConfigLoader.parse("collectors:\n  postgres:\n    enabled: false\n    targets: [{host: db}]\n", file: "a.yml")
        #expect(!off.collectors.enabled.contains("postgres"))
    }

    @Test func startupParametersHoldTheSessionSettings() {
        var target = PostgresTarget(endpoint: .tcp(host: "db"))
        target.statementTimeout = .milliseconds(2500)
        target.lockTimeout = .seconds(1)
        let parameters = Dictionary(uniqueKeysWithValues: PostgresSession.startupParameters(target))
        #expect(parameters["application_name"] == "scalewatch")
        #expect(parameters["statement_timeout"] == "2500ms")
        #expect(parameters["lock_timeout"] == "1000ms")
    }

    @Test(arguments: [
        ("    targets: []\n", "bad.yml:3:14: collectors.postgres.targets must be a non-empty list of servers, got a list"),
        ("    targets:\n      - port: 5432\n", "bad.yml:4:9: collectors.postgres.targets[0] needs host (with port) or socket_dir"),
        ("    targets:\n      - {host: a, socket_dir: /run}\n", "bad.yml:4:19: collectors.postgres.targets[0]: give either host or socket_dir, not both"),
        ("    targets:\n      - {host: a, port: 70000}\n", "bad.yml:4:25: collectors.postgres.targets[0].port must be a whole number from 1 to 65535, got '70000'"),
        ("    targets:\n      - {host: a, sslmode: on}\n", "bad.yml:4:28: collectors.postgres.targets[0].sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full, got 'on'"),
        ("    targets:\n      - {host: a, password: hunter2}\n", "bad.yml:4:19: unknown key \"password\" in collectors.postgres.targets[0]; expected one of: host, socket_dir, port, user, database, sslmode, sslrootcert, password_file, password_env, labels, collection_timeout, connect_timeout, statement_timeout, lock_timeout, min_interval, slow_interval, section_intervals, top_applications, top_tables, top_statements, statements_window, query_text_length"),
        ("    targets:\n      - {host: a, password_file: pw.txt}\n", "bad.yml:4:34: collectors.postgres.targets[0].password_file must be an absolute path to a file holding the password"),
        ("    targets:\n      - {host: a, password_env: 'hunter 2'}\n", "bad.yml:4:33: collectors.postgres.targets[0].password_env must name an environment variable ([A-Za-z_][A-Za-z0-9_]*); the password itself never goes in the config"),
        ("    targets:\n      - {host: a, password_file: /p, password_env: P}\n", "bad.yml:4:38: collectors.postgres.targets[0]: give either password_file or password_env, not both"),
        ("    targets:\n      - {host: a, labels: {datname: x}}\n", "bad.yml:4:27: collectors.postgres.targets[0].labels: 'datname' is a label the collector sets itself; choose another name"),
        ("    targets:\n      - {host: a, statement_timeout: 0s}\n", "bad.yml:4:38: collectors.postgres.targets[0].statement_timeout must be at least 1ms, got '0s'"),
        ("    targets:\n      - {socket_dir: /run, sslmode: verify-ca}\n", "bad.yml:4:9: collectors.postgres.targets[0]: sslmode verify-ca needs host; a Unix socket has no TLS"),
        ("    targets:\n      - {host: /run}\n", "bad.yml:4:16: collectors.postgres.targets[0].host must be a host name or IP address (use socket_dir for a Unix socket directory), got '/run'"),
        ("    targets:\n      - {host: a}\n      - {host: a}\n", "bad.yml:5:9: collectors.postgres.targets[1] repeats the target a:5432 (same database, user and labels)"),
        ("    hosts: [a]\n", "bad.yml:3:5: unknown key \"hosts\" in collectors.postgres; expected one of: enabled, targets"),
    ])
    func refusesWithFileLineAndColumn(_ yaml: String, _ expected: String) {
        #expect {
            _ = try ConfigLoader.parse("collectors:\n  postgres:\n" + yaml, file: "bad.yml")
        } throws: { error in
            String(describing: error) == expected
        }
    }

    @Test func sectionIntervalsNameSections() {
        #expect {
            _ = try ConfigLoader.parse("collectors:\n  postgres:\n    targets:\n      - {host: a, section_intervals: {lock: 1s}}\n", file: "bad.yml")
        } throws: { error in
            String(describing: error).hasPrefix(
                "bad.yml:4:39: unknown key \"lock\" in collectors.postgres.targets[0].section_intervals; expected one of: activity, activity_summary")
        }
    }

    @Test func passwordSourcesNameTheSourceNeverTheValue() throws {
        #expect(try PostgresSession.password(.none) == nil)
        let missing = #expect(throws: PostgresProblem.self) { try PostgresSession.password(.environment("SCALEWATCH_TEST_UNSET_VARIABLE")) }
        #expect(missing?.message == "password_env: the environment variable SCALEWATCH_TEST_UNSET_VARIABLE is not set")
        let unreadable = #expect(throws: PostgresProblem.self) { try PostgresSession.password(.file("/nonexistent/pg.password")) }
        #expect(unreadable?.message.hasPrefix("cannot read password_file /nonexistent/pg.password") == true)
    }

    @Test func aPasswordInAnErrorIsBlanked() {
        let problem = PostgresProblem(kind: .connect, message: "FATAL 28P01: password authentication failed: s3cret!")
        #expect(problem.redacting("s3cret!").message == "FATAL 28P01: password authentication failed: ********")
        #expect(problem.redacting(nil) == problem)
        #expect(problem.redacting("") == problem)
        #expect(PostgresProblem.describing(problem, kind: .query, password: "s3cret!", sslMode: "prefer").message.contains("s3cret!") == false)
        #expect(PostgresProblem(kind: .query, message: "", sqlState: "42501").isPermanentForSession)
        #expect(!PostgresProblem(kind: .query, message: "", sqlState: "57014").isPermanentForSession)
    }

    @Test func aTLSFailureNamesBoringSSLsReasonWithoutItsSourceFile() {
        let boring = "sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /build/checkouts/swift-nio-ssl/handshake.cc:320])"
        #expect(PostgresProblem.openSSLReason(in: boring) == "CERTIFICATE_VERIFY_FAILED")
        #expect(PostgresProblem.openSSLReason(in: "error:OPENSSL_internal:WRONG_VERSION_NUMBER") == "WRONG_VERSION_NUMBER")
        #expect(PostgresProblem.openSSLReason(in: "connection reset by peer") == nil)
        #expect(PostgresProblem.openSSLReason(in: "OPENSSL_internal: at") == nil)
    }
}
