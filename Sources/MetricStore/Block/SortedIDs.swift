/// Set operations on ascending arrays of series ids without duplicates, by merging: the
/// postings algebra of matcher selection.
enum SortedIDs {
    static func intersection(_ lhs: [Int], _ rhs: [Int]) -> [Int] {
        var result: [Int] = []
        var i = 0
        var j = 0
        while i < lhs.count && j < rhs.count {
            if lhs[i] < rhs[j] {
                i += 1
            } else if lhs[i] > rhs[j] {
                j += 1
            } else {
                result.append(lhs[i])
                i += 1
                j += 1
            }
        }
        return result
    }

    /// `lhs` without the ids in `rhs`.
    static func difference(_ lhs: [Int], _ rhs: [Int]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(lhs.count)
        var j = 0
        for id in lhs {
            while j < rhs.count && rhs[j] < id { j += 1 }
            if j == rhs.count || rhs[j] != id { result.append(id) }
        }
        return result
    }

    /// The union of many lists. Pairwise merging in rounds keeps it O(n log k) for k lists.
    static func union(_ lists: [[Int]]) -> [Int] {
        var round = lists.filter { !$0.isEmpty }
        while round.count > 1 {
            var next: [[Int]] = []
            next.reserveCapacity((round.count + 1) / 2)
            for start in stride(from: 0, to: round.count, by: 2) {
                next.append(start + 1 < round.count ? merge(round[start], round[start + 1]) : round[start])
            }
            round = next
        }
        return round.first ?? []
    }

    private static func merge(_ lhs: [Int], _ rhs: [Int]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(lhs.count + rhs.count)
        var i = 0
        var j = 0
        while i < lhs.count && j < rhs.count {
            if lhs[i] < rhs[j] {
                result.append(lhs[i]); i += 1
            } else if lhs[i] > rhs[j] {
                result.append(rhs[j]); j += 1
            } else {
                result.append(lhs[i]); i += 1; j += 1
            }
        }
        result.append(contentsOf: lhs[i...])
        result.append(contentsOf: rhs[j...])
        return result
    }
}
