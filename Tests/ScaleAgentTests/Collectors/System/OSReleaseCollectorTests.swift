#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
@testable import ScaleAgent

@Suite struct OSReleaseCollectorTests {
    @Test func parsesQuotedAndBareValues() throws {
        let text = """
            # comment
            NAME="Ubuntu"
            VERSION_ID='22.04'
            PRETTY_NAME="a \\"quoted\\" \\$name"
            ID=ubuntu

            """
        let values = try OSReleaseCollector.parse(text, file: "os-release")
        #expect(values == ["NAME": "Ubuntu", "VERSION_ID": "22.04", "PRETTY_NAME": "a \"quoted\" $name", "ID": "ubuntu"])
    }

    @Test(arguments: [
        ("NAME\n", "expected KEY=value"),
        ("1NAME=x\n", "variable name"),
        ("NAME=\"Debian\n", "unterminated double quote"),
        ("NAME='Debian\n", "unterminated single quote"),
        ("NAME=\"Debian\" GNU\n", "after the closing quote"),
    ])
    func rejectsMalformed(text: String, expected: String) {
        let error = #expect(throws: ParseError.self) { try OSReleaseCollector.parse(text, file: "os-release") }
        #expect(error?.line == 1)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test(arguments: [("12", 12.0 as Double?), ("22.04.3", 22.04), ("7.", 7), ("", nil), ("rolling", nil), ("0", nil)])
    func takesMajorMinor(versionID: String, expected: Double?) {
        #expect(OSReleaseCollector.majorMinor(versionID) == expected)
    }

    @Test func collectsFromFixture() throws {
        var builder = MetricsBuilder()
        try OSReleaseCollector(paths: Fixtures.paths).collect(into: &builder)
        let families = builder.build()
        let info = families.first { $0.name == "node_os_info" }?.samples.first
        #expect(info?.labels["version_codename"] == "bookworm")
        #expect(info?.labels["variant"] == nil)
        #expect(families.first { $0.name == "node_os_version" }?.samples.first?.value == 12)
    }

    /// Parsed once per version of the file: an unchanged file (same inode, size and time) is not
    /// read again, a replaced one is.
    @Test func readsTheFileAgainOnlyWhenItChanged() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let file = try directory.write("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
        let collector = OSReleaseCollector(paths: HostPaths(rootfs: directory.path))
        func versionID() throws -> String? {
            var builder = MetricsBuilder()
            try collector.collect(into: &builder)
            return builder.build().first { $0.name == "node_os_info" }?.samples.first?.labels["version_id"]
        }
        #expect(try versionID() == "12")
        // Same size, inode and modification time: taken for the same file.
        var info = stat()
        #expect(stat(file, &info) == 0)
        _ = try directory.write("etc/os-release", "ID=debian\nVERSION_ID=\"13\"\n")
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, file, &times, 0) == 0)
        #expect(try versionID() == "12")
        // Replaced, as a package upgrade does: read again.
        let replacement = try directory.write("os-release.new", "ID=debian\nVERSION_ID=\"14\"\n")
        #expect(rename(replacement, file) == 0)
        #expect(try versionID() == "14")
    }
}
