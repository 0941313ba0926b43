@testable import MetricStore
import Testing
import TestSupport

@Suite struct BlockPostingsTests {
    static let series: [Labels] = [
        Labels(["__name__": "up", "job": "node", "instance": "a"]),
        Labels(["__name__": "up", "job": "node", "instance": "abc"]),
        Labels(["__name__": "up", "job": "pg"]),
        Labels(["__name__": "cpu", "job": "node", "instance": "a", "mode": "idle"]),
        Labels(["__name__": "cpu", "job": "node", "instance": "a", "mode": "user"]),
        Labels(["__name__": "cpu", "job": "node", "instance": "b", "mode": ""]),
    ]

    /// Opens a block of `series` (one tiny chunk each), runs `body`, cleans up.
    static func withBlock<T>(_ series: [Labels], _ body: (BlockReader) throws -> T) throws -> T {
        let directory = TestDirectory()
        defer { directory.remove() }
        let chunk = BlockFixtures.chunk(minTime: 0, samples: 1, seed: 1, length: 3, compressible: false)
        let path = try BlockFixtures.writeBlock(series.map { ($0, [chunk]) }, in: directory.path, fileSystem: directory.fileSystem)
        return try body(try BlockReader(fileSystem: directory.fileSystem, directory: path))
    }

    static func selected(_ reader: BlockReader, _ matchers: [LabelMatcher]) throws -> Set<Labels> {
        Set(try reader.postings(matchers).map { id throws(BlockReadError) in try reader.series(id).labels })
    }

    static func matcher(_ text: String) throws -> LabelMatcher {
        for kind in [LabelMatcher.Kind.notRegex, .regex, .notEqual, .equal] {
            let parts = text.split(separator: kind.rawValue, maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { return try LabelMatcher(String(parts[0]), kind, String(parts[1])) }
        }
        fatalError("no operator in \(text)")
    }

    @Test(arguments: [
        // =
        (["__name__=up"], [0, 1, 2]),
        (["__name__=up", "job=node"], [0, 1]),
        (["job=absent"], []),
        (["absent=x"], []),
        // = "" selects series without the label
        (["instance="], [2]),
        (["mode="], [0, 1, 2, 5]),
        (["absent="], [0, 1, 2, 3, 4, 5]),
        // !=, which also selects series without the label
        (["job!=node"], [2]),
        (["instance!=a"], [1, 2, 5]),
        (["instance!="], [0, 1, 3, 4, 5]),
        (["absent!=x"], [0, 1, 2, 3, 4, 5]),
        (["__name__=cpu", "mode!=idle"], [4, 5]),
        // =~, fully anchored
        (["instance=~a"], [0, 3, 4]),
        (["instance=~a.*"], [0, 1, 3, 4]),
        (["instance=~b|abc"], [1, 5]),
        (["instance=~bc"], []),
        (["instance=~.*c"], [1]),
        (["mode=~idle|"], [0, 1, 2, 3, 5]),
        (["instance=~.+"], [0, 1, 3, 4, 5]),
        (["absent=~.*"], [0, 1, 2, 3, 4, 5]),
        (["absent=~.+"], []),
        // !~
        (["instance!~a"], [1, 2, 5]),
        (["instance!~a.*"], [2, 5]),
        (["mode!~idle|user"], [0, 1, 2, 5]),
        (["mode!~.*"], []),
        (["__name__=~cpu|up", "instance!~a|b", "job=~no.*"], [1]),
        // no matchers
        ([], [0, 1, 2, 3, 4, 5]),
    ])
    func matchersSelectAsPrometheusDoes(_ matchers: [String], _ expected: [Int]) throws {
        let selected = try Self.withBlock(Self.series) { reader in
            try Self.selected(reader, try matchers.map(Self.matcher))
        }
        #expect(selected == Set(expected.map { Self.series[$0] }))
    }

    @Test func postingsAreAscendingIDs() throws {
        try Self.withBlock(Self.series) { reader in
            let ids = try reader.postings([try Self.matcher("instance!~abc")])
            #expect(ids == ids.sorted())
            #expect(Set(ids).count == ids.count)
        }
    }

    /// Every selection equals filtering the label sets directly with `matches(value ?? "")`.
    @Test func randomSelectionsAgreeWithBruteForce() throws {
        var random = SplitMix64(seed: 99)
        let series = BlockFixtures.randomSeries(count: 300, seed: 5).map(\.labels)
        let values = ["", "0", "1", "in-1", "in-1é", "jo-.*", "in-1.*", ".+", ".*1|.*2", "[a-m].*", "node_.*"]
        let names = ["__name__", "instance", "job", "mode", "device", "zone", "absent"]
        let kinds: [LabelMatcher.Kind] = [.equal, .notEqual, .regex, .notRegex]
        try Self.withBlock(series) { reader in
            for _ in 0..<400 {
                let matchers = try (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    try LabelMatcher(
                        names.randomElement(using: &random)!, kinds.randomElement(using: &random)!,
                        values.randomElement(using: &random)!)
                }
                let expected = Set(series.filter { labels in matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") } })
                #expect(try Self.selected(reader, matchers) == expected, "\(matchers)")
            }
        }
    }

    @Test func sortedIDOperations() {
        #expect(SortedIDs.intersection([1, 3, 5, 7], [2, 3, 7, 8]) == [3, 7])
        #expect(SortedIDs.difference([1, 3, 5, 7], [0, 3, 7, 8]) == [1, 5])
        #expect(SortedIDs.union([[5, 9], [], [1, 5], [2], [9, 10]]) == [1, 2, 5, 9, 10])
        #expect(SortedIDs.union([]) == [])
    }
}
