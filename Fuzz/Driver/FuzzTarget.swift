/// One thing to fuzz: a function from arbitrary bytes to nothing that must return — not trap,
/// not hang, not exhaust memory — whatever the bytes are. Errors the code under test throws
/// are the expected outcome for most inputs and are ignored; a target traps itself only
/// where it checks a property the code promises (a printed expression parses again).
protocol FuzzTarget: Sendable {
    /// The name `make fuzz` and `FUZZ_TARGET` use, which is also its folder: `Fuzz/<name>/corpus`.
    var name: String { get }
    func run(_ bytes: [UInt8])
    /// Seeds made by the store's own writers, for binary formats that have no fixture to
    /// copy; `scalewatch-fuzz seeds NAME DIR` writes them.
    func generatedSeeds() throws -> [[UInt8]]
    /// What an input means, for targets whose inputs are not the text they test (the
    /// evaluator's expression and query times): `scalewatch-fuzz show NAME FILE` prints it, so
    /// that a finding can be written as a regression test.
    func describe(_ bytes: [UInt8]) -> String?
}

extension FuzzTarget {
    func generatedSeeds() throws -> [[UInt8]] { [] }
    func describe(_ bytes: [UInt8]) -> String? { nil }
}
