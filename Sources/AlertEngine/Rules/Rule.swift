import MetricStore

/// A recording rule (`record:`, stores the expression's result as a new series) or an
/// alerting rule (`alert:`, turns each result series into an alert).
public struct Rule: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case recording
        case alerting
    }

    public var kind: Kind
    /// The recorded metric name, or the alert's name.
    public var name: String
    /// The PromQL text, with where it starts in the file so parse errors can point into it.
    public var expr: LocatedText
    /// How long an alert stays pending before it fires (`for`), in milliseconds; 0 for
    /// recording rules.
    public var forDuration: Int64
    /// How long an alert keeps firing after its expression stopped returning it, in
    /// milliseconds; 0 for recording rules.
    public var keepFiringFor: Int64
    public var labels: Labels
    /// Empty for recording rules.
    public var annotations: Labels
    /// Where the rule's mapping starts in the file.
    public var line: Int
    public var column: Int

    public init(
        kind: Kind, name: String, expr: LocatedText, forDuration: Int64 = 0, keepFiringFor: Int64 = 0,
        labels: Labels = .empty, annotations: Labels = .empty, line: Int = 0, column: Int = 0
    ) {
        self.kind = kind
        self.name = name
        self.expr = expr
        self.forDuration = forDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.line = line
        self.column = column
    }
}
