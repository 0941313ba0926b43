/// The head's inverted index: for each label pair, the series having it, in ascending ref
/// order (refs are assigned increasingly, so appending keeps the lists sorted).
struct HeadPostings {
    private(set) var byLabel: [Label: [SeriesRef]] = [:]
    /// Label name → its values, for label-values queries and regex matchers.
    private(set) var valuesByName: [String: Set<String>] = [:]

    mutating func add(_ ref: SeriesRef, _ labels: Labels) {
        for label in labels.pairs {
            byLabel[label, default: []].append(ref)
            valuesByName[label.name, default: []].insert(label.value)
        }
    }

    mutating func remove(_ removed: Set<SeriesRef>, labels: [Labels]) {
        for label in Set(labels.flatMap(\.pairs)) {
            guard var refs = byLabel[label] else { continue }
            refs.removeAll { removed.contains($0) }
            if refs.isEmpty {
                byLabel[label] = nil
                valuesByName[label.name]?.remove(label.value)
                if valuesByName[label.name]?.isEmpty == true { valuesByName[label.name] = nil }
            } else {
                byLabel[label] = refs
            }
        }
    }

    /// Series selected by all matchers, in ref order. Matchers that also match a missing
    /// label (`{a=""}`, `{a!="x"}`) cannot use the index alone: they start from every series.
    func select(_ matchers: [LabelMatcher], allRefs: () -> [SeriesRef]) -> [SeriesRef] {
        var result: Set<SeriesRef>?
        // Matchers that select by presence first: they shrink the set fastest.
        for matcher in matchers where !matcher.matchesEmpty {
            var matching = Set<SeriesRef>()
            for value in valuesByName[matcher.name] ?? [] where matcher.matches(value) {
                matching.formUnion(byLabel[Label(matcher.name, value)] ?? [])
            }
            result = result.map { $0.intersection(matching) } ?? matching
            if result!.isEmpty { return [] }
        }
        var candidates = result ?? Set(allRefs())
        // Matchers that also match a missing label: remove series whose value fails.
        for matcher in matchers where matcher.matchesEmpty {
            for value in valuesByName[matcher.name] ?? [] where !matcher.matches(value) {
                candidates.subtract(byLabel[Label(matcher.name, value)] ?? [])
            }
        }
        return candidates.sorted()
    }
}
