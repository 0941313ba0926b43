import MetricStore

/// One element of a template query's result: Prometheus' `*template.sample`, read in a
/// template as `.Labels` (with `__name__`) and `.Value`.
public struct TemplateSample: Sendable, Hashable {
    public var labels: [String: String]
    public var value: Double

    public init(labels: [String: String], value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// How the template functions `query` reaches the data: Prometheus' `QueryFunc`. A rule's
/// templates query at the rule's evaluation time, as Prometheus' do, so that an annotation
/// can name the likely cause beside the symptom ("the pool is full" next to "p95 is 4 s").
public struct TemplateQuery: Sendable {
    /// The failure text, as the template error shows it after `error calling query: `.
    public struct Failure: Error, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }

    private let run: @Sendable (String) -> Result<[TemplateSample], Failure>

    public init(_ run: @escaping @Sendable (String) -> Result<[TemplateSample], Failure>) {
        self.run = run
    }

    func callAsFunction(_ text: String) throws(Failure) -> [TemplateSample] {
        try run(text).get()
    }

    /// An instant query of `engine` at `time` (Unix ms): a vector as its samples, a scalar as
    /// one sample without labels, anything else refused — Prometheus' `EngineQueryFunc`.
    public static func instant(_ engine: QueryEngine, at time: Int64) -> TemplateQuery {
        TemplateQuery { text in
            let value: QueryValue
            do {
                value = try engine.instantQuery(try PromQLParser.parse(text), at: time)
            } catch {
                return .failure(Failure("\(error)"))
            }
            switch value {
            case .vector(let samples):
                return .success(samples.map { sample in
                    TemplateSample(
                        labels: Dictionary(sample.labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                        value: sample.value)
                })
            case .scalar(let number):
                return .success([TemplateSample(labels: [:], value: number)])
            case .matrix, .string:
                return .failure(Failure("rule result is not a vector or scalar"))
            }
        }
    }
}
