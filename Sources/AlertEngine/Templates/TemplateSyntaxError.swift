/// A lexing or parsing failure before it is placed: `offset` counts Unicode scalars from the
/// start of the template; `TemplateParser` turns it into a `TemplateError` with line and column.
struct TemplateSyntaxError: Error {
    let message: String
    let offset: Int
}
