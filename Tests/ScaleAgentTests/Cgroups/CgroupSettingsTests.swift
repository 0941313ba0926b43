import Testing

@testable import ScaleAgent

@Suite struct CgroupSettingsTests {
    @Test func defaultsAreOnWithSystemSlice() {
        let settings = CollectorSettings()
        #expect(settings.enabled.isSuperset(of: ["cgroups", "top_processes"]))
        #expect(settings.cgroups.slices == ["system.slice"])
        #expect(settings.cgroups.maxUnits == 100)
        #expect(settings.cgroups.topProcesses == 10)
    }

    @Test func readsEveryOption() throws {
        let config = try ConfigLoader.parse(
            """
            collectors:
              cgroups:
                slices: [system.slice, machine.slice/app.slice, system.slice]
                max_units: 250
              top_processes: {count: 25}
            """, file: "a.yml")
        #expect(config.collectors.cgroups.slices == ["system.slice", "machine.slice/app.slice"])
        #expect(config.collectors.cgroups.maxUnits == 250)
        #expect(config.collectors.cgroups.topProcesses == 25)
        #expect(config.collectors.enabled.isSuperset(of: ["cgroups", "top_processes"]))
    }

    @Test func eachCanBeTurnedOff() throws {
        let config = try ConfigLoader.parse(
            "collectors:\n  cgroups: false\n  top_processes: {enabled: false, count: 3}\n", file: "a.yml")
        #expect(!config.collectors.enabled.contains("cgroups"))
        #expect(!config.collectors.enabled.contains("top_processes"))
        #expect(config.collectors.cgroups.topProcesses == 3)
    }

    @Test(arguments: [
        ("collectors:\n  cgroups:\n    max_units: 0\n", "bad.yml:3:16: collectors.cgroups.max_units must be a whole number from 1 to 10000, got '0'"),
        ("collectors:\n  cgroups:\n    max_units: many\n", "bad.yml:3:16: collectors.cgroups.max_units must be a whole number from 1 to 10000, got 'many'"),
        ("collectors:\n  cgroups:\n    max_units: 2.5\n", "bad.yml:3:16: collectors.cgroups.max_units must be a whole number from 1 to 10000, got '2.5'"),
        ("collectors:\n  top_processes:\n    count: 1001\n", "bad.yml:3:12: collectors.top_processes.count must be a whole number from 1 to 1000, got '1001'"),
        ("collectors:\n  top_processes:\n    count:\n", "bad.yml:3:11: collectors.top_processes.count must be a whole number from 1 to 1000, got nothing"),
        ("collectors:\n  cgroups:\n    slices: system.slice\n", "bad.yml:3:13: collectors.cgroups.slices must be a non-empty list of slices such as [system.slice], got 'system.slice'"),
        ("collectors:\n  cgroups:\n    slices: []\n", "bad.yml:3:13: collectors.cgroups.slices must be a non-empty list of slices such as [system.slice], got a list"),
        ("collectors:\n  cgroups:\n    slices: [/system.slice]\n", "bad.yml:3:14: collectors.cgroups.slices: '/system.slice' must be a path relative to the cgroup root, such as system.slice"),
        ("collectors:\n  cgroups:\n    slices:\n      - system.slice\n      - ../etc\n", "bad.yml:5:9: collectors.cgroups.slices: '../etc' must be a path relative to the cgroup root, such as system.slice"),
        ("collectors:\n  cgroups:\n    slices: ['a//b']\n", "bad.yml:3:14: collectors.cgroups.slices: 'a//b' must be a path relative to the cgroup root, such as system.slice"),
        ("collectors:\n  cgroups:\n    slices: [[a]]\n", "bad.yml:3:14: collectors.cgroups.slices must be a string, got a list"),
        ("collectors:\n  cgroups:\n    count: 3\n", "bad.yml:3:5: unknown key \"count\" in collectors.cgroups; expected one of: enabled, slices, max_units"),
        ("collectors:\n  top_processes:\n    slices: [a.slice]\n", "bad.yml:3:5: unknown key \"slices\" in collectors.top_processes; expected one of: enabled, count"),
    ])
    func refusesWithFileLineAndColumn(yaml: String, expected: String) {
        #expect {
            _ = try ConfigLoader.parse(yaml, file: "bad.yml")
        } throws: { error in
            String(describing: error) == expected
        }
    }
}
