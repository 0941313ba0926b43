/// A label pair as symbol refs; ordered by name, then value.
struct IndexLabelPair: Hashable, Comparable {
    let name: Int
    let value: Int

    static func < (lhs: IndexLabelPair, rhs: IndexLabelPair) -> Bool {
        (lhs.name, lhs.value) < (rhs.name, rhs.value)
    }
}
