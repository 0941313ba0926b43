import Testing

@testable import ScaleAgent

@Suite struct ConfigLoaderTests {
    @Test func exampleConfigIsValidAndShowsTheDefaults() throws {
        let config = try ConfigLoader.load(file: RepositoryPaths.file("config/agent.yml"))
        // Every value is the default but rule_files, which names the shipped rule pack.
        var expected = AgentConfig()
        expected.rules.files = ["rules/*.yml"]
        #expect(config == expected)
    }

    /// One error per setting, all of them, in file order: an operator fixes a file in one go.
    @Test func reportsEveryMistakeOfAFileAtOnce() {
        let yaml = """
            listen_address: nowhere
            colection_interval: 15s
            collectors:
              timex: maybe
              netdev: {device_exclude: '('}
              diskstats: true
              bogus: true
            storage: {retention_time: 1s}
            data_dir: /tmp/sw
            """
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(yaml, file: "a.yml") }
        let locations = error?.problems.map { "\($0.line):\($0.column)" }
        #expect(locations == ["1:17", "2:1", "4:10", "5:28", "7:3", "8:27"])
        #expect(error?.problems[1].message.hasPrefix("unknown key \"colection_interval\" in the top level") == true)
        #expect(error?.description.split(separator: "\n").count == 6)
        #expect(error?.description.hasPrefix("a.yml:1:17: listen_address: ") == true)
    }

    @Test func emptyFileMeansDefaults() throws {
        #expect(try ConfigLoader.parse("", file: "a.yml") == AgentConfig())
        #expect(try ConfigLoader.parse("# only a comment\n", file: "a.yml") == AgentConfig())
    }

    @Test func readsEveryKey() throws {
        let config = try ConfigLoader.parse(
            """
            listen_address: "[::1]:9999"
            data_dir: /tmp/sw
            collection_interval: 1m30s
            scrape_max_age: 500ms
            collector_timeout: 2s
            paths: {procfs: /host/proc, sysfs: /host/sys, rootfs: /host}
            collectors:
              timex: false
              netdev: {device_exclude: '^veth'}
              filesystem: {enabled: false, stat_timeout: 1s}
            web: {enable_lifecycle: true}
            """, file: "a.yml")
        #expect(config.listenAddress == ListenAddress(host: "::1", port: 9999))
        #expect(config.dataDirectory == "/tmp/sw")
        #expect(config.collectionInterval == .seconds(90))
        #expect(config.scrapeMaxAge == .milliseconds(500))
        #expect(config.collectorTimeout == .seconds(2))
        #expect(config.paths == HostPaths(procfs: "/host/proc", sysfs: "/host/sys", rootfs: "/host"))
        #expect(!config.collectors.enabled.contains("timex"))
        #expect(!config.collectors.enabled.contains("filesystem"))
        #expect(config.collectors.enabled.contains("netdev"))
        #expect(config.collectors.netdevDeviceExclude?.matches("veth12") == true)
        #expect(config.collectors.filesystemStatTimeout == .seconds(1))
        #expect(config.web.enableLifecycle)
    }

    struct BadConfig: Sendable, CustomTestStringConvertible {
        let yaml: String
        let expected: String
        var testDescription: String { expected }
    }

    static let badConfigs: [BadConfig] = [
        BadConfig(yaml: "listen_adress: x\n", expected: "bad.yml:1:1: unknown key \"listen_adress\" in the top level; expected one of: listen_address, data_dir, collection_interval, scrape_max_age, collector_timeout, paths, collectors, storage, rule_files, evaluation_interval, external_labels, disabled_alerts, web, alerting, query, checkins"),
        BadConfig(yaml: "listen_address: localhost\n", expected: "bad.yml:1:17: listen_address: expected host:port, e.g. 127.0.0.1:9470"),
        BadConfig(yaml: "listen_address: 'a:99999'\n", expected: "bad.yml:1:17: listen_address: expected a port number from 0 to 65535 after ':' in 'a:99999'"),
        BadConfig(yaml: "collection_interval: 500ms\n", expected: "bad.yml:1:22: collection_interval must be at least 1s, got '500ms'"),
        BadConfig(yaml: "collection_interval: ten\n", expected: "bad.yml:1:22: collection_interval must be a duration such as 5m, 1h30m or 500ms, got 'ten'"),
        BadConfig(yaml: "collection_interval: 10\n", expected: "bad.yml:1:22: collection_interval must be a duration such as 5m, 1h30m or 500ms, got '10'"),
        BadConfig(yaml: "scrape_max_age: 1s5m\n", expected: "bad.yml:1:17: scrape_max_age must be a duration such as 5m, 1h30m or 500ms, got '1s5m'"),
        BadConfig(yaml: "data_dir: [a, b]\n", expected: "bad.yml:1:11: data_dir must be a string, got a list"),
        BadConfig(yaml: "data_dir:\n", expected: "bad.yml:1:10: data_dir must be a string, got nothing"),
        BadConfig(yaml: "paths:\n  procfs: proc\n", expected: "bad.yml:2:11: paths.procfs must be an absolute path, got 'proc'"),
        BadConfig(yaml: "paths: /proc\n", expected: "bad.yml:1:8: paths must be a mapping of keys to values, got '/proc'"),
        BadConfig(yaml: "collectors:\n  cpu: yes please\n", expected: "bad.yml:2:8: collectors.cpu must be true or false, got 'yes please'"),
        BadConfig(yaml: "collectors:\n  gpu: true\n", expected: "bad.yml:2:3: unknown key \"gpu\" in collectors; expected one of: \(CollectorSettings.allNames.joined(separator: ", "))"),
        BadConfig(yaml: "collectors:\n  cpu: {fields: x}\n", expected: "bad.yml:2:9: unknown key \"fields\" in collectors.cpu; expected one of: enabled"),
        BadConfig(yaml: "collectors:\n  diskstats:\n    device_exclude: '(unclosed'\n", expected: "bad.yml:3:21: collectors.diskstats.device_exclude must be a valid regular expression"),
        BadConfig(yaml: "collectors:\n  filesystem:\n    stat_timeout: 0s\n", expected: "bad.yml:3:19: collectors.filesystem.stat_timeout must be at least 1ms, got '0s'"),
        BadConfig(yaml: "collectors:\n  netdev:\n    enabled: 1\n", expected: "bad.yml:3:14: collectors.netdev.enabled must be true or false, got '1'"),
        BadConfig(yaml: "storage:\n  retention_size: 1GB2\n", expected: "bad.yml:2:19: storage.retention_size must be a size such as 512MiB or 1GiB, got '1GB2'"),
        BadConfig(yaml: "storage:\n  retention_time: 30s\n", expected: "bad.yml:2:19: storage.retention_time must be at least 1m, got '30s'"),
        BadConfig(yaml: "storage:\n  retention_filesystem_fraction: 2\n", expected: "bad.yml:2:34: storage.retention_filesystem_fraction must be a number above 0 and at most 1, got '2'"),
        BadConfig(yaml: "data_dir: /a\ndata_dir: /b\n", expected: "bad.yml:2:1: key \"data_dir\" appears twice in one mapping, first at line 1"),
        BadConfig(yaml: "listen_address: \"unterminated\n", expected: "bad.yml:2:1: invalid YAML"),
        BadConfig(yaml: "web:\n  enable_lifecycle: on\n", expected: "bad.yml:2:21: web.enable_lifecycle must be true or false, got 'on'"),
        BadConfig(yaml: "web:\n  tls_config: {}\n", expected: "bad.yml:2:3: unknown key \"tls_config\" in web; expected one of: enable_lifecycle, max_connections, config_file"),
        BadConfig(yaml: "- a\n- b\n", expected: "bad.yml:1:1: the top level must be a mapping of keys to values, got a list"),
    ]

    @Test(arguments: badConfigs)
    func refusesWithFileLineAndColumn(_ bad: BadConfig) {
        #expect {
            _ = try ConfigLoader.parse(bad.yaml, file: "bad.yml")
        } throws: { error in
            let text = String(describing: error)
            return text == bad.expected || (text.hasPrefix(bad.expected) && bad.expected.hasSuffix("expression"))
                || (text.hasPrefix(bad.expected) && bad.expected.hasSuffix("invalid YAML"))
        }
    }

    @Test func missingFileSaysWhich() {
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: "/nonexistent/agent.yml") }
    }

    @Test func anEndlessFileIsRefusedNotReadUntilMemoryRunsOut() {
        #expect {
            try ConfigLoader.load(file: "/dev/zero")
        } throws: { error in
            "\(error)" == "/dev/zero: cannot read the config file: /dev/zero: File too large"
        }
    }

    @Test func storageSettings() throws {
        let config = try ConfigLoader.parse(
            "storage:\n  retention_time: 30d\n  retention_size: 512MiB\n  retention_filesystem_fraction: 0.1\n  wal_flush_interval: 200ms\n",
            file: "a.yml")
        #expect(config.storage.retentionTime == .seconds(30 * 86_400))
        #expect(config.storage.retentionSize == 512 << 20)
        #expect(config.storage.retentionFileSystemFraction == 0.1)
        #expect(config.storage.walFlushInterval == .milliseconds(200))
        #expect(ByteSizeText.parse("1GB") == 1 << 30 && ByteSizeText.parse("100B") == 100 && ByteSizeText.parse("1.5GB") == nil)
    }

    @Test func overridesWinOverTheFile() throws {
        let overrides = ConfigOverrides(
            listenAddress: ListenAddress(host: "0.0.0.0", port: 1), dataDirectory: "/d", enableLifecycle: true)
        let config = overrides.applied(
            to: try ConfigLoader.parse("listen_address: '127.0.0.1:5'\ndata_dir: /x\nweb: {enable_lifecycle: false}\n", file: "a"))
        #expect(config.listenAddress.port == 1)
        #expect(config.dataDirectory == "/d")
        #expect(config.web.enableLifecycle)
        // Without the flag, the file decides.
        let fromFile = try ConfigLoader.parse("web: {enable_lifecycle: true}\n", file: "a")
        #expect(ConfigOverrides().applied(to: fromFile).web.enableLifecycle)
        #expect(!ConfigOverrides().applied(to: AgentConfig()).web.enableLifecycle)
    }
}
