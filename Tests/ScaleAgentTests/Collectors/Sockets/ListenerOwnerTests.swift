import Testing
@testable import ScaleAgent

/// The pure parsing behind the owner scan: descriptor link text, cgroup v2's events file, and
/// the unit's cgroup from /proc/PID/cgroup.
@Suite struct ListenerOwnerTests {
    @Test(arguments: [
        ("socket:[12345]", FDLink.socket(inode: 12345)),
        ("socket:[0]", .socket(inode: 0)),
        ("socket:[4294967295]", .socket(inode: 4_294_967_295)),
        ("/dev/null", .other),
        ("pipe:[98765]", .other),
        ("anon_inode:[eventpoll]", .other),
        ("/var/log/nginx/socket:[1]", .other),
        ("", .other),
    ])
    func linkText(text: String, expected: FDLink) throws {
        #expect(try FDLink.parse(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        ("socket:[12345", "expected 'socket:[inode]'"),
        ("socket:[]", "expected 1 to 10 digits"),
        ("socket:[12a45]", "expected digits"),
        ("socket:[-1]", "expected digits"),
        ("socket:[ 1]", "expected digits"),
        ("socket:[12345678901]", "expected 1 to 10 digits"),
        ("socket:[4294967296]", "exceeds 2^32"),
    ])
    func malformedSocketLinks(text: String, message: String) {
        let error = #expect(throws: ParseError.self) { try FDLink.parse(Array(text.utf8)) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("populated 1\nfrozen 0\n", true),
        ("populated 0\nfrozen 0\n", false),
        ("frozen 0\npopulated 1\n", true),
    ])
    func populated(text: String, expected: Bool) throws {
        #expect(try CgroupEvents.populated(text, file: "cgroup.events") == expected)
    }

    @Test(arguments: [
        ("frozen 0\n", 1, "no 'populated' line"),
        ("", 1, "no 'populated' line"),
        ("populated\n", 1, "expected 'key value'"),
        ("frozen 0\npopulated yes\n", 2, "expected 0 or 1"),
        ("populated 1 2\n", 1, "expected 'key value'"),
    ])
    func malformedEvents(text: String, line: Int, message: String) {
        let error = #expect(throws: ParseError.self) { try CgroupEvents.populated(text, file: "cgroup.events") }
        #expect(error?.line == line)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("0::/system.slice/nginx.service\n", "nginx.service", CgroupParsing.UnitHierarchy.unified, "/system.slice/nginx.service"),
        // A delegated sub-group: the unit's own directory is where its processes are counted.
        ("0::/system.slice/app.service/workers/3\n", "app.service", .unified, "/system.slice/app.service"),
        (
            "12:memory:/system.slice/pg.service\n1:name=systemd:/system.slice/system-postgresql.slice/postgresql@15-main.service\n0::/\n",
            "postgresql@15-main.service", .systemd, "/system.slice/system-postgresql.slice/postgresql@15-main.service"
        ),
        ("4:memory:/test.slice/mem.service\n0::/\n", "mem.service", .memory, "/test.slice/mem.service"),
        ("0::/user.slice/user-1000.slice/session-4.scope\n", "session-4.scope", .unified, "/user.slice/user-1000.slice/session-4.scope"),
    ])
    func unitCgroup(text: String, unit: String, hierarchy: CgroupParsing.UnitHierarchy, path: String) throws {
        let found = try CgroupParsing.unitCgroup(fromProcessCgroup: text, file: "cgroup")
        #expect(found?.unit == unit)
        #expect(found?.hierarchy == hierarchy)
        #expect(found?.path == path)
    }

    @Test(arguments: [
        ("0:/system.slice/nginx.service\n", 1, "expected 'id:controllers:path'"),
        ("0::/\nx::/system.slice/a.service\n", 2, "hierarchy id: expected a number"),
        ("0::system.slice/a.service\n", 1, "expected an absolute cgroup path"),
        ("garbage", 1, "expected 'id:controllers:path'"),
    ])
    func malformedProcessCgroup(text: String, line: Int, message: String) {
        let error = #expect(throws: ParseError.self) { try CgroupParsing.unitCgroup(fromProcessCgroup: text, file: "cgroup") }
        #expect(error?.line == line)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func noUnitOutsideSystemd() throws {
        #expect(try CgroupParsing.unitCgroup(fromProcessCgroup: "4:memory:/process_api/3396ed83\n0::/\n", file: "cgroup") == nil)
    }
}
