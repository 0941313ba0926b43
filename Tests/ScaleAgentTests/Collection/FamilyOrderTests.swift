import MetricStore
import Testing

@testable import ScaleAgent

@Suite struct FamilyOrderTests {
    private func families(_ names: [String]) -> [MetricFamily] {
        names.map { MetricFamily(name: $0, help: "h", type: .gauge, samples: [MetricSample(labels: Labels([]), value: 1)]) }
    }

    @Test func sortsByNameAndSortsAgainWhenTheNamesChange() {
        let order = FamilyOrder()
        #expect(order.sorted(families(["c", "a", "b"])).map(\.name) == ["a", "b", "c"])
        // The same names in the same order: the kept permutation.
        #expect(order.sorted(families(["c", "a", "b"])).map(\.name) == ["a", "b", "c"])
        // Same count, another order; one name more; one fewer; one renamed.
        #expect(order.sorted(families(["b", "c", "a"])).map(\.name) == ["a", "b", "c"])
        #expect(order.sorted(families(["b", "d", "c", "a"])).map(\.name) == ["a", "b", "c", "d"])
        #expect(order.sorted(families(["d", "a"])).map(\.name) == ["a", "d"])
        #expect(order.sorted(families(["d", "e"])).map(\.name) == ["d", "e"])
        #expect(order.sorted([]).isEmpty)
    }

    /// The kept order moves the families of this collection, not those of the last.
    @Test func theFamiliesAreThisCollections() {
        let order = FamilyOrder()
        _ = order.sorted(families(["b", "a"]))
        var next = families(["b", "a"])
        next[0].samples = [MetricSample(labels: Labels([]), value: 42)]
        #expect(order.sorted(next).last?.samples.first?.value == 42)
    }
}
