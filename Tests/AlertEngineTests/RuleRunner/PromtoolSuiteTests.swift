import AlertEngine
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The repository's promtool-format suite (Tests/rules), which CI also runs through the real
/// promtool: every file must pass here too, and every deliberately wrong twin must fail.
@Suite struct PromtoolSuiteTests {
    static let rulesDirectory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/rules"
    }()

    static func files(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".test.yml") { names.append(directory + "/" + name) }
        }
        return names.sorted()
    }

    @Test(arguments: files(in: rulesDirectory))
    func passes(_ file: String) {
        let report = RuleTestRunner.run(file: file)
        #expect(report.passed, "\(report.text)")
    }

    @Test(arguments: files(in: rulesDirectory + "/must-fail"))
    func wrongTwinFails(_ file: String) {
        let report = RuleTestRunner.run(file: file)
        #expect(!report.passed, "a deliberately wrong test passed: \(file)")
        // A wrong twin must fail on a comparison, not because it could not be read.
        #expect(report.failures.contains { $0.contains("exp:") }, "\(report.text)")
    }

    @Test func theSuiteIsThere() {
        #expect(Self.files(in: Self.rulesDirectory).count >= 10)
        #expect(Self.files(in: Self.rulesDirectory + "/must-fail").count >= 8)
    }
}
