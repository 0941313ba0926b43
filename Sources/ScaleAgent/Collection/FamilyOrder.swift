import NIOConcurrencyHelpers

/// Puts families in name order, as `/metrics` lists them. One collection reports the same
/// families in the same order as the one before, so the permutation that sorted the last one
/// is kept and used again while the names arrive in that order: checking them costs one
/// comparison each (the collectors' names are mostly the same strings, compared without
/// reading their bytes), where sorting cost a dozen.
final class FamilyOrder: Sendable {
    private struct Last {
        var names: [String] = []
        var order: [Int] = []
    }
    private let last = NIOLockedValueBox(Last())

    func sorted(_ families: [MetricFamily]) -> [MetricFamily] {
        let cached = last.withLockedValue { $0 }
        if cached.names.count == families.count, zip(cached.names, families).allSatisfy({ $0 == $1.name }) {
            return cached.order.map { families[$0] }
        }
        let order = families.indices.sorted { families[$0].name < families[$1].name }
        last.withLockedValue { $0 = Last(names: families.map(\.name), order: order) }
        return order.map { families[$0] }
    }
}
