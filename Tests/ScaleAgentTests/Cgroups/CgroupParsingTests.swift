import Testing

@testable import ScaleAgent

@Suite struct CgroupParsingTests {
    @Test func oneValue() throws {
        #expect(try CgroupParsing.value("52428800\n", file: "memory.current") == 52_428_800)
        #expect(try CgroupParsing.value("0", file: "memory.failcnt") == 0)
        #expect(try CgroupParsing.value("18446744073709551615\n", file: "cpuacct.usage") == .max)
    }

    @Test func v2LimitMaxIsNoLimit() throws {
        #expect(try CgroupParsing.limit("max\n", file: "memory.max") == nil)
        #expect(try CgroupParsing.limit("536870912\n", file: "memory.max") == 536_870_912)
    }

    @Test func v1NoLimitIsTheHugePageAlignedValue() throws {
        #expect(try CgroupParsing.legacyLimit("9223372036854771712\n", file: "memory.limit_in_bytes") == nil)
        // 64 KiB pages round the same "unlimited" further down.
        #expect(try CgroupParsing.legacyLimit("9223372036854710272\n", file: "memory.limit_in_bytes") == nil)
        #expect(try CgroupParsing.legacyLimit("67108864\n", file: "memory.limit_in_bytes") == 67_108_864)
    }

    @Test func keyedTakesTheWantedKeysOnly() throws {
        let events = "low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n"
        let values = try CgroupParsing.keyed(events, file: "memory.events", keys: ["max", "oom", "oom_kill"])
        #expect(values == ["max": 12, "oom": 3, "oom_kill": 2])
        // An unknown key with a value this parser could not convert does not matter.
        let future = "usage_usec 10\nfuture_field -1\nnr_periods 4\n"
        #expect(try CgroupParsing.keyed(future, file: "cpu.stat", keys: ["usage_usec", "nr_periods"]) == ["usage_usec": 10, "nr_periods": 4])
        // A wanted key that is absent is simply absent.
        #expect(try CgroupParsing.keyed("usage_usec 10\n", file: "cpu.stat", keys: ["nr_throttled"]).isEmpty)
        #expect(try CgroupParsing.keyed("", file: "cpu.stat", keys: ["usage_usec"]).isEmpty)
    }

    @Test func keyedStopsAtTheLastWantedKeyAndTakesAllOfUInt64() throws {
        // v2 memory.stat begins with anon and file: the rest is not even looked at.
        let stat = "anon 4096\nfile 8192\nkernel x y z\n"
        #expect(try CgroupParsing.keyed(stat, file: "memory.stat", keys: ["anon", "file"]) == ["anon": 4096, "file": 8192])
        let huge = "throttled_time 18446744073709551615\n"
        #expect(try CgroupParsing.keyed(huge, file: "cpu.stat", keys: ["throttled_time"]) == ["throttled_time": .max])
        // No final newline.
        #expect(try CgroupParsing.keyed("oom_kill 4", file: "memory.events", keys: ["oom_kill"]) == ["oom_kill": 4])
    }

    @Test func pressureTotals() throws {
        let text = "some avg10=0.24 avg60=1.88 avg300=1.68 total=8447991\nfull avg10=0.16 avg60=1.76 avg300=1.63 total=8289498\n"
        #expect(try CgroupParsing.pressureTotals(text, file: "io.pressure") == .init(some: 8.447991, full: 8.289498))
        // CPU before Linux 5.13 has no full line; unknown kinds are skipped.
        let cpu = "some avg10=0.00 avg60=0.00 avg300=0.00 total=12\nnew thing\n"
        #expect(try CgroupParsing.pressureTotals(cpu, file: "cpu.pressure") == .init(some: 0.000012, full: nil))
    }

    @Test(arguments: [
        Bad(text: "", line: 0, message: "missing the 'some' line"),
        Bad(text: "full avg10=0.00 avg60=0.00 avg300=0.00 total=1\n", line: 0, message: "missing the 'some' line"),
        Bad(text: "some avg10=0.00 avg60=0.00 avg300=0.00\n", line: 1, message: "expected 'total=' and microseconds at the end, found 'some avg10=0.00 avg60=0.00 avg300=0.00'"),
        Bad(text: "some avg10=0.00 total=1\nfull avg10=0.00 total=-4\n", line: 2, message: "expected 'total=' and microseconds at the end, found 'full avg10=0.00 total=-4'"),
        Bad(text: "some total=12 avg10=0.00\n", line: 1, message: "expected 'total=' and microseconds at the end, found 'some total=12 avg10=0.00'"),
    ])
    func pressureRejects(_ bad: Bad) {
        let error = #expect(throws: ParseError.self) { try CgroupParsing.pressureTotals(bad.text, file: "cpu.pressure") }
        #expect(error == ParseError(file: "cpu.pressure", line: bad.line, bad.message))
    }

    @Test func processStatTakesNameCPUAndStart() throws {
        let postgres = "800 (postgres) S 1 800 800 0 -1 4194560 1500 0 0 0 1200 345 0 0 20 0 1 0 4242 2457600000 310000 18446744073709551615\n"
        #expect(
            try CgroupParsing.processStat(postgres, file: "stat")
                == .init(comm: "postgres", cpuTicks: 1545, startTicks: 4242, residentPages: 310000))
        // A name may hold spaces, quotes and ')': it ends at the last ')'.
        let odd = "1300 (tmux: \"a) b\") S 1 1 1 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 99 0 0\n"
        #expect(
            try CgroupParsing.processStat(odd, file: "stat") == .init(comm: "tmux: \"a) b\"", cpuTicks: 10, startTicks: 99, residentPages: 0))
        #expect(try CgroupParsing.processStat("7 () R 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 3", file: "stat").comm == "")
        // A name of several bytes per character, and one that looks like the fields after it.
        #expect(try CgroupParsing.processStat("8 (é) 1 2 3) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 0 3", file: "stat").comm == "é) 1 2 3")
    }

    @Test(arguments: [
        Bad(text: "", line: 1, message: "expected 'pid (comm) state …', found ''"),
        Bad(text: "7 postgres S 1\n", line: 1, message: "expected 'pid (comm) state …', found '7 postgres S 1\n'"),
        Bad(text: "7 )x( S\n", line: 1, message: "expected 'pid (comm) state …', found '7 )x( S\n'"),
        Bad(text: "7 (x) S 1 1 1 0 -1 0 0 0 0 0 12 3\n", line: 1, message: "expected at least 22 fields after the name, found 13"),
        Bad(text: "7 (x) S 1 1 1 0 -1 0 0 0 0 0 12 3 0 0 20 0 1 0 5 0\n", line: 1, message: "expected at least 22 fields after the name, found 21"),
        Bad(text: "7 (x) S 1 1 1 0 -1 0 0 0 0 0 -12 3 0 0 20 0 1 0 5 0 1\n", line: 1, message: "utime: expected clock ticks, found '-12'"),
        Bad(text: "7 (x) S 1 1 1 0 -1 0 0 0 0 0 12 x 0 0 20 0 1 0 5 0 1\n", line: 1, message: "stime: expected clock ticks, found 'x'"),
        Bad(text: "7 (x) S 1 1 1 0 -1 0 0 0 0 0 12 3 0 0 20 0 1 0 +5 0 1\n", line: 1, message: "starttime: expected clock ticks, found '+5'"),
        Bad(text: "7 (x) S 1 1 1 0 -1 0 0 0 0 0 12 3 0 0 20 0 1 0 5 0 -1\n", line: 1, message: "rss: expected a page count, found '-1'"),
        Bad(
            text: "7 (x) S 1 1 1 0 -1 0 0 0 0 0 12 3 0 0 20 0 1 0 5 0 123456789012345678901\n", line: 1,
            message: "rss: expected a page count, found '123456789012345678901'"),
        Bad(
            text: "7 (x) S 1 1 1 0 -1 0 0 0 0 0 18446744073709551615 1 0 0 20 0 1 0 5 0 1\n", line: 1,
            message: "utime + stime exceeds 2^64"),
    ])
    func processStatRejects(_ bad: Bad) {
        let error = #expect(throws: ParseError.self) { try CgroupParsing.processStat(bad.text, file: "7/stat") }
        #expect(error == ParseError(file: "7/stat", line: bad.line, bad.message))
    }

    @Test(arguments: [
        // cgroup v2
        ("0::/system.slice/nginx.service\n", "nginx.service"),
        ("0::/system.slice/system-postgresql.slice/postgresql@15-main.service\n", "postgresql@15-main.service"),
        ("0::/user.slice/user-1000.slice/session-2.scope\n", "session-2.scope"),
        // the deepest unit: a user service under the user manager's own unit
        ("0::/user.slice/user-1000.slice/user@1000.service/app.slice/tmux-spawn-1.scope\n", "tmux-spawn-1.scope"),
        // a service's delegated sub-group
        ("0::/system.slice/scalewatch.service/workers\n", "scalewatch.service"),
        ("0::/system.slice/docker-4f1c.scope/init\n", "docker-4f1c.scope"),
        // v1 and hybrid: the unified line first, then name=systemd, then memory
        ("12:memory:/system.slice/a.service\n1:name=systemd:/system.slice/b.service\n0::/system.slice/c.service\n", "c.service"),
        ("12:memory:/system.slice/a.service\n1:name=systemd:/system.slice/b.service\n", "b.service"),
        ("12:memory:/scalewatch-oomtest.slice/oomtest.service\n11:cpu,cpuacct:/\n1:name=systemd:/\n0::/\n", "oomtest.service"),
        ("4:cpu,memory:/x/db.service\n", "db.service"),
        // a path with ':' in it
        ("0::/system.slice/a:b.service\n", "a:b.service"),
    ])
    func unitOfAProcess(text: String, unit: String) throws {
        #expect(try CgroupParsing.unit(fromProcessCgroup: text, file: "cgroup") == unit)
    }

    @Test(arguments: [
        "0::/\n",
        "0::/init.scope.d/x\n",
        "0::/system.slice\n",
        "0::/.service\n",
        "4:memory:/process_api/7041de5f\n9:name=systemd:/\n0::/\n",
        // a unit only in a tree this parser does not consult
        "3:pids:/system.slice/x.service\n0::/\n",
        "",
    ])
    func noUnit(text: String) throws {
        #expect(try CgroupParsing.unit(fromProcessCgroup: text, file: "cgroup") == nil)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let text: String
        let line: Int
        let message: String
        var testDescription: String { message }
    }

    @Test(arguments: [
        Bad(text: "", line: 0, message: "empty, expected one unsigned integer"),
        Bad(text: "\n", line: 0, message: "empty, expected one unsigned integer"),
        Bad(text: "12\n13\n", line: 2, message: "expected one line, found 2"),
        Bad(text: "-1\n", line: 1, message: "expected an unsigned integer, found '-1'"),
        Bad(text: "max\n", line: 1, message: "expected an unsigned integer, found 'max'"),
        Bad(text: "12 kB\n", line: 1, message: "expected an unsigned integer, found '12 kB'"),
        Bad(text: "18446744073709551616\n", line: 1, message: "expected an unsigned integer, found '18446744073709551616'"),
    ])
    func valueRejects(_ bad: Bad) {
        let error = #expect(throws: ParseError.self) { try CgroupParsing.value(bad.text, file: "memory.current") }
        #expect(error == ParseError(file: "memory.current", line: bad.line, bad.message))
    }

    @Test func limitRejectsWhatIsNeitherMaxNorBytes() {
        let error = #expect(throws: ParseError.self) { try CgroupParsing.limit("unlimited\n", file: "memory.max") }
        #expect(error == ParseError(file: "memory.max", line: 1, "expected an unsigned integer, found 'unlimited'"))
        let v1 = #expect(throws: ParseError.self) { try CgroupParsing.legacyLimit("-1\n", file: "memory.limit_in_bytes") }
        #expect(v1?.line == 1)
    }

    @Test(arguments: [
        Bad(text: "oom 1\noom_kill\n", line: 2, message: "expected 'key value', found 'oom_kill'"),
        Bad(text: "oom 1\n\noom_kill 1 2\n", line: 3, message: "expected 'key value', found 'oom_kill 1 2'"),
        Bad(text: "oom_kill x\n", line: 1, message: "oom_kill: expected an unsigned integer, found 'x'"),
        Bad(text: "max 1\noom -3\n", line: 2, message: "oom: expected an unsigned integer, found '-3'"),
        Bad(text: "oom_kill 18446744073709551616\n", line: 1, message: "oom_kill: expected an unsigned integer, found '18446744073709551616'"),
        Bad(text: " 1\n", line: 1, message: "expected 'key value', found ' 1'"),
        Bad(text: "oom \n", line: 1, message: "expected 'key value', found 'oom '"),
    ])
    func keyedRejects(_ bad: Bad) {
        let error = #expect(throws: ParseError.self) {
            try CgroupParsing.keyed(bad.text, file: "memory.events", keys: ["max", "oom", "oom_kill"])
        }
        #expect(error == ParseError(file: "memory.events", line: bad.line, bad.message))
    }

    @Test(arguments: [
        Bad(text: "0::/\nbroken\n", line: 2, message: "expected 'id:controllers:path', found 'broken'"),
        Bad(text: "0:/\n", line: 1, message: "expected 'id:controllers:path', found '0:/'"),
        Bad(text: "x:memory:/a.service\n", line: 1, message: "hierarchy id: expected a number, found 'x'"),
        Bad(text: ":memory:/a.service\n", line: 1, message: "hierarchy id: expected a number, found ''"),
        Bad(text: "0::system.slice/a.service\n", line: 1, message: "expected an absolute cgroup path, found 'system.slice/a.service'"),
    ])
    func processCgroupRejects(_ bad: Bad) {
        let error = #expect(throws: ParseError.self) { try CgroupParsing.unit(fromProcessCgroup: bad.text, file: "7/cgroup") }
        #expect(error == ParseError(file: "7/cgroup", line: bad.line, bad.message))
    }
}
