import MetricStore
import Testing

@testable import AlertEngine

/// Aliases that expand beyond the budget are refused, quickly and at the alias, by every reader
/// (config, rule files, rule test files go through `LocatedYAMLReader.compose`); ordinary use
/// of anchors passes.
@Suite struct YAMLAliasBudgetTests {
    /// "Billion laughs": each level a list of nine aliases to the level before; 366 bytes stand
    /// for 9^8 (43 million) nodes.
    static func laughs(levels: Int, keyAlias: Bool = false) -> String {
        var text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<levels {
            let previous = "*l\(level - 1)"
            text += "l\(level): &l\(level) [" + Array(repeating: previous, count: 9).joined(separator: ", ") + "]\n"
        }
        if keyAlias {
            // An alias as a mapping key: Yams hashes keys while composing, which walks the expansion.
            text += "? *l\(levels - 1)\n: x\n"
        }
        return text
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let yaml: String
        /// The error, or nil when the text is within the budget.
        let expected: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "billion laughs", yaml: laughs(levels: 9),
            expected: "f.yml:6:10: aliases expand to more than 100000 nodes (at *l4); write the values out instead of nesting aliases"),
        Case(
            name: "an alias bomb as a mapping key", yaml: laughs(levels: 9, keyAlias: true),
            expected: "f.yml:6:10: aliases expand to more than 100000 nodes (at *l4); write the values out instead of nesting aliases"),
        Case(
            name: "a deep chain of single aliases",
            yaml: "a0: &a0 x\n" + (1...10).map { "a\($0): &a\($0) [*a\($0 - 1)]\n" }.joined(),
            expected: "f.yml:10:10: aliases nest more than 8 deep (at *a8); write the values out instead of nesting aliases"),
        Case(name: "a few levels of laughs", yaml: laughs(levels: 4), expected: nil),
        Case(
            name: "a label set shared by many rules",
            yaml: "common: &common {team: db, severity: page}\n"
                + (0..<500).map { "r\($0): {labels: *common}\n" }.joined(), expected: nil),
        Case(name: "an undefined alias is left to the composer", yaml: "a: *nowhere\n", expected: nil),
        Case(name: "text that is not YAML is left to the composer", yaml: "a: [b\n", expected: nil),
        Case(name: "anchors do not reach the next document", yaml: "a: &a x\n---\nb: *a\n", expected: nil),
    ]

    @Test(arguments: cases) func budget(_ test: Case) {
        let started = ContinuousClock.now
        #expect(YAMLAliasBudget.check(test.yaml, file: "f.yml")?.description == test.expected)
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func theReaderRefusesBeforeComposing() {
        let started = ContinuousClock.now
        let reader = LocatedYAMLReader(file: "f.yml", text: Self.laughs(levels: 10, keyAlias: true), dialect: .prometheus)
        #expect(reader.compose() == nil)
        #expect(reader.errors.map(\.description) == [
            "f.yml:6:10: aliases expand to more than 100000 nodes (at *l4); write the values out instead of nesting aliases"
        ])
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func ruleFilesAndRuleTestFilesRefuseABomb() {
        let text = Self.laughs(levels: 9, keyAlias: true)
        let started = ContinuousClock.now
        #expect(throws: RuleFileErrors.self) { _ = try RuleFileLoader.parse(text, file: "f.yml") }
        #expect(throws: RuleFileErrors.self) { _ = try RuleTestFileLoader.parse(text, file: "f.yml") }
        #expect(ContinuousClock.now - started < .seconds(2))
    }
}
