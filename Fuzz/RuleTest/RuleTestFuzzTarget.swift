@testable import AlertEngine

/// A promtool rule-test file (`scalewatch test rules`): YAML, input series notation
/// (`1+2x10`, `_`, `stale`), alert and expression expectations, and then the tests run.
/// The file is named as if it sat in Tests/rules, so that the seeds' `rule_files` find the
/// repository's rule files when the fuzzer runs from the repository's root (as `make fuzz`
/// does).
struct RuleTestFuzzTarget: FuzzTarget {
    let name = "RuleTest"

    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let file = try? RuleTestFileLoader.parse(text, file: "Tests/rules/fuzz.test.yml") else { return }
        for test in file.tests {
            _ = RuleTestRunner.run(test, in: file)
        }
    }
}
