#if canImport(Glibc)
import Glibc
#endif

/// Every target, in the order `make fuzz` runs them.
enum FuzzTargets {
    static let all: [any FuzzTarget] = [
        OpenMetricsFuzzTarget(),
        PromQLParserFuzzTarget(),
        PromQLEvaluatorFuzzTarget(),
        ConfigFuzzTarget(),
        RuleFileFuzzTarget(),
        RuleTestFuzzTarget(),
        TemplateFuzzTarget(),
        WALFuzzTarget(),
        BlockFuzzTarget(),
        JournalEntryFuzzTarget(),
        PostgresLogFuzzTarget(),
        TimeArgumentsFuzzTarget(),
    ]

    static func named(_ name: String) -> (any FuzzTarget)? {
        all.first { $0.name == name }
    }

    /// The target libFuzzer's callback runs: the one main put in `FUZZ_TARGET`, read once.
    /// An environment variable rather than a global that main assigns, so that the child
    /// processes of `-fork`/`-jobs` (which get main's argv without the name) fuzz it too.
    static let selected: any FuzzTarget = {
        guard let value = getenv("FUZZ_TARGET"), let target = named(String(cString: value)) else {
            fatalError("FUZZ_TARGET names no fuzz target")
        }
        return target
    }()
}
