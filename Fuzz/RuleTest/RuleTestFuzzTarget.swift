import AlertEngine

/// A promtool rule-test file (`scalewatch test rules`): YAML, input series notation
/// (`1+2x10`, `_`, `stale`), alert and expression expectations.
struct RuleTestFuzzTarget: FuzzTarget {
    let name = "RuleTest"

    func run(_ bytes: [UInt8]) {
        _ = try? RuleTestFileLoader.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.test.yml")
    }
}
