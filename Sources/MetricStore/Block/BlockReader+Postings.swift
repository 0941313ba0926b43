extension BlockReader {
    /// The ids of the series that every matcher selects, ascending.
    ///
    /// As in Prometheus, a series without label `n` is taken to have `n=""`. So a matcher that
    /// selects the empty value (`n=""`, `n!="x"`, `n=~"x|"`, `n!~"x"`) is applied by removing
    /// the series whose value it rejects, not by collecting those whose value it accepts;
    /// `{a=""}` selects the series without `a`. No matchers select every series.
    public func postings(_ matchers: [LabelMatcher]) throws(BlockReadError) -> [Int] {
        var selected: [Int]?
        var excluded: [[Int]] = []
        for matcher in matchers {
            let pairs = index.pairIndices(name: matcher.name)
            if matcher.matchesEmpty {
                let rejected = try postings(pairs.filter { !matcher.matches(value(ofPair: $0)) })
                if !rejected.isEmpty { excluded.append(rejected) }
            } else {
                let accepted: [Int]
                if matcher.kind == .equal {
                    // Looked up once: hashing the value for every pair of a name with
                    // thousands of values was most of a small query's time.
                    guard let symbol = index.symbolRefs[matcher.value] else { return [] }
                    accepted = try postings(pairs.filter { index.pairs[$0].value == symbol })
                } else {
                    accepted = try postings(pairs.filter { matcher.matches(value(ofPair: $0)) })
                }
                selected = selected.map { SortedIDs.intersection($0, accepted) } ?? accepted
                if selected!.isEmpty { return [] }
            }
        }
        var result = selected ?? Array(0..<seriesCount)
        for ids in excluded {
            result = SortedIDs.difference(result, ids)
        }
        return result
    }

    private func value(ofPair index: Int) -> String {
        self.index.symbols[self.index.pairs[index].value]
    }

    /// The union of the postings of `pairs`.
    private func postings(_ pairs: [Int]) throws(BlockReadError) -> [Int] {
        var lists: [[Int]] = []
        lists.reserveCapacity(pairs.count)
        for pair in pairs {
            lists.append(try index.postings(pairIndex: pair))
        }
        return SortedIDs.union(lists)
    }
}
