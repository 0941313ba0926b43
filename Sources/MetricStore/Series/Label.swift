/// One label pair of a series. `__name__` is an ordinary label here, as in Prometheus' model.
public struct Label: Hashable, Sendable, Comparable {
    public static let metricName = "__name__"

    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Label, rhs: Label) -> Bool {
        lhs.name != rhs.name ? lhs.name < rhs.name : lhs.value < rhs.value
    }
}
