import MetricStore
import ScaleAgent
import Testing
import TestSupport

/// Which store `query`, `export` and `tsdb stats` read when no `--data-dir` is given.
struct DataDirectoryResolutionTests {
    @Test func theFlagWinsThenTheConfigThenTheInstalledConfigThenTheDefault() throws {
        let directory = TestDirectory(prefix: "data-dir-resolution")
        defer { directory.remove() }
        let given = try directory.write("given.yml", "data_dir: /srv/given\n")
        let installed = try directory.write("installed.yml", "data_dir: /srv/installed\n")
        let missing = directory.file("missing.yml")

        #expect(try DataDirectoryResolution.resolve(dataDirectory: "/flag", configFile: given, installedConfigFile: installed) == "/flag")
        #expect(try DataDirectoryResolution.resolve(dataDirectory: nil, configFile: given, installedConfigFile: installed) == "/srv/given")
        #expect(try DataDirectoryResolution.resolve(dataDirectory: nil, configFile: nil, installedConfigFile: installed) == "/srv/installed")
        #expect(try DataDirectoryResolution.resolve(dataDirectory: nil, configFile: nil, installedConfigFile: missing) == AgentConfig().dataDirectory)
    }

    @Test func aBrokenOrMissingConfigIsReportedNotGuessedAround() throws {
        let directory = TestDirectory(prefix: "data-dir-resolution")
        defer { directory.remove() }
        let broken = try directory.write("broken.yml", "data_dir: [a]\n")
        #expect(throws: ConfigError.self) {
            try DataDirectoryResolution.resolve(dataDirectory: nil, configFile: broken)
        }
        // A named config that does not exist is an error naming it, without a position.
        let missing = directory.file("missing.yml")
        do {
            _ = try DataDirectoryResolution.resolve(dataDirectory: nil, configFile: missing)
            Issue.record("a missing --config was accepted")
        } catch {
            #expect(error.description.hasPrefix("\(missing): cannot read the config file"))
        }
    }
}
