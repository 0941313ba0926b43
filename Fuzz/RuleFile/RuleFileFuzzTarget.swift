import AlertEngine

/// A Prometheus rule file, as `check rules` and the agent load it: YAML, every expression
/// parsed, every label and annotation template compiled.
struct RuleFileFuzzTarget: FuzzTarget {
    let name = "RuleFile"

    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let file = try? RuleFileLoader.parse(text, file: "fuzz.rules.yml", checkExpression: RuleCompiler.checkExpression) else {
            return
        }
        _ = try? RuleCompiler.compile(file, defaultInterval: 60_000)
    }
}
