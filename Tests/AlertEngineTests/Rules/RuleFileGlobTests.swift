import Testing

@testable import AlertEngine
import TestSupport

struct RuleFileGlobTests {
    @Test(arguments: [
        ("*.yml", ["a.yml", "b.yml"]),
        ("?.yml", ["a.yml", "b.yml"]),
        ("[b-z].y*", ["b.yml", "c.yaml"]),
        ("sub/*.yml", ["sub/d.yml"]),
        ("*/*.yml", ["sub/d.yml"]),
        ("a.yml", ["a.yml"]),
        ("missing.yml", []),
        ("*.json", []),
        // No brace expansion, as in Prometheus.
        ("{a,b}.yml", []),
    ])
    func expandsOnePattern(pattern: String, names: [String]) throws {
        let directory = TestDirectory(prefix: "scalewatch-rules")
        defer { directory.remove() }
        for name in ["b.yml", "a.yml", "c.yaml", "sub/d.yml"] { try directory.write(name, "groups: []\n") }
        #expect(try RuleFileGlob.paths(matching: directory.path + "/" + pattern) == names.map { directory.path + "/" + $0 })
    }

    @Test func expandsPatternsInOrderWithEachFileOnce() throws {
        let directory = TestDirectory(prefix: "scalewatch-rules")
        defer { directory.remove() }
        for name in ["b.yml", "a.yml", "c.yml"] { try directory.write(name, "groups: []\n") }
        let result = try RuleFileGlob.paths(matching: ["c.yml", "*.yml", "none/*.yml"].map { directory.path + "/" + $0 })
        #expect(result.paths == ["c.yml", "a.yml", "b.yml"].map { directory.path + "/" + $0 })
        #expect(result.unmatched == [directory.path + "/none/*.yml"])
    }

    @Test(arguments: [
        ("rules/*.yml", "/etc/scalewatch", "/etc/scalewatch/rules/*.yml"),
        ("/abs/x.yml", "/etc", "/abs/x.yml"),
        ("../rules/r.yml", "tests", "rules/r.yml"),
        ("./a/./b.yml", ".", "a/b.yml"),
        ("../../x.yml", "a", "../x.yml"),
        ("x.yml", "/", "/x.yml"),
        ("../x.yml", "/", "/x.yml"),
        ("a//b.yml", "d/", "d/a/b.yml"),
    ])
    func resolvesRelativeToADirectory(pattern: String, directory: String, path: String) {
        #expect(RuleFileGlob.resolve(pattern, relativeTo: directory) == path)
    }

    @Test(arguments: [("a/b.yml", "a"), ("b.yml", "."), ("/b.yml", "/"), ("/x/y/z.yml", "/x/y")])
    func findsTheDirectoryOfAPath(path: String, directory: String) {
        #expect(RuleFileGlob.directory(of: path) == directory)
    }
}
