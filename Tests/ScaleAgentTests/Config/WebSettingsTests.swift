import Testing

@testable import ScaleAgent

/// The `web:` section, and what the config refuses before it is read: an alias bomb, and values
/// too long to repeat whole.
@Suite struct WebSettingsTests {
    @Test(arguments: [
        ("web:\n  max_connections: 100\n", 100),
        ("web:\n  enable_lifecycle: true\n", 512),
        ("", 512),
    ])
    func maxConnections(_ yaml: String, _ expected: Int) throws {
        #expect(try ConfigLoader.parse(yaml, file: "a.yml").web.maxConnections == expected)
    }

    @Test(arguments: [
        ("web:\n  max_connections: 0\n", "a.yml:2:20: web.max_connections must be a whole number from 1 to 65536, got '0'"),
        ("web:\n  max_connections: many\n", "a.yml:2:20: web.max_connections must be a whole number from 1 to 65536, got 'many'"),
    ])
    func refusedValues(_ yaml: String, _ expected: String) {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(yaml, file: "a.yml") }
        do {
            _ = try ConfigLoader.parse(yaml, file: "a.yml")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func anAliasBombIsRefusedAtTheAliasAndFast() {
        var yaml = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<9 {
            yaml += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        yaml += "? *l8\n: x\n"
        let started = ContinuousClock.now
        do {
            _ = try ConfigLoader.parse(yaml, file: "a.yml")
            Issue.record("the bomb was accepted")
        } catch {
            #expect(error.description.hasPrefix("a.yml:6:10: aliases expand to more than 100000 nodes"))
        }
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func aLongValueIsEchoedShort() {
        let yaml = "listen_address: \"127.0.0.1:" + String(repeating: "9", count: 1_000_000) + "\"\n"
        do {
            _ = try ConfigLoader.parse(yaml, file: "a.yml")
            Issue.record("accepted")
        } catch {
            #expect(error.description.utf8.count < 1000)
        }
    }
}
