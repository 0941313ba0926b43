import Testing

@testable import MetricStore
import TestSupport

@Suite struct RetentionTests {
    private let up = Labels(["__name__": "up"])

    /// A store with one block per hour for five hours of samples every 10 s.
    private func storeWithBlocks(_ directory: TestDirectory) throws -> Store {
        var options = StoreOptions()
        options.head.blockRange = 3_600_000
        let store = try Store.open(directory: directory.path, options: options)
        let samples = (0..<1800).map { Sample(timestamp: Int64($0) * 10_000, value: Double($0)) }
        _ = try store.importSeries([(up, samples)])
        return store
    }

    @Test func blocksOlderThanTheTimeLimitAreDeleted() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try storeWithBlocks(directory)
        defer { store.close() }
        #expect(store.blocks.count == 5)
        // Now is 5 h; keep 2.5 h: the blocks ending at 1 h and 2 h go.
        let deleted = try store.applyRetention(
            RetentionPolicy(time: 9_000_000, size: nil, fileSystemFraction: nil), now: 18_000_000)
        #expect(deleted.map(\.maxTime) == [3_600_000, 7_200_000])
        #expect(store.blocks.count == 3)
        #expect(try store.select([])[0].samples.first?.timestamp == 7_200_000)
        #expect(try BlockDirectory.blockIDs(in: directory.path, fileSystem: directory.fileSystem).count == 3)
    }

    @Test func oldestBlocksGoUntilTheSizeLimitHoldsButNeverTheNewest() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try storeWithBlocks(directory)
        defer { store.close() }
        let sizes = try store.blocks.map { try store.treeBytes($0.directory) }
        // Room for two blocks and a bit: the three oldest go.
        let limit = sizes.suffix(2).reduce(0, +) + 1
        let deleted = try store.applyRetention(RetentionPolicy(time: .max / 2, size: limit, fileSystemFraction: nil), now: 0)
        #expect(deleted.count == 3)
        #expect(store.blocks.count == 2)
        // A limit below one block still keeps the newest.
        _ = try store.applyRetention(RetentionPolicy(time: .max / 2, size: 1, fileSystemFraction: nil), now: 0)
        #expect(store.blocks.count == 1)
    }

    @Test func theSmallerOfSizeAndFileSystemShareApplies() {
        let policy = RetentionPolicy.default
        #expect(policy.sizeLimit(fileSystemBytes: 100 << 30) == 1 << 30)
        #expect(policy.sizeLimit(fileSystemBytes: 10 << 30) == Int(Double(10 << 30) * 0.05))
        #expect(policy.sizeLimit(fileSystemBytes: nil) == 1 << 30)
        #expect(RetentionPolicy(time: 1, size: nil, fileSystemFraction: nil).sizeLimit(fileSystemBytes: 5) == nil)
    }
}
