/// The argument checks of `first`, `label`, `value`, `strvalue` and `sortByLabel`, with the
/// messages Go's template package gives when a value of another type is passed.
enum TemplateQueryFunctions {
    typealias Failure = TemplateFunction.Failure

    static func sample(_ value: TemplateValue) throws(Failure) -> TemplateSample {
        switch value {
        case .sample(let sample): return sample
        case .noValue: throw Failure(message: "invalid memory address or nil pointer dereference")
        default: throw Failure(message: "wrong type for value; expected *template.sample; got \(value.goTypeName)")
        }
    }

    static func samples(_ value: TemplateValue) throws(Failure) -> [TemplateSample] {
        switch value {
        case .queryResult(let samples): return samples
        case .noValue: return []
        default: throw Failure(message: "wrong type for value; expected template.queryResult; got \(value.goTypeName)")
        }
    }
}
