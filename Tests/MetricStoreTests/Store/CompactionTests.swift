import Testing

@testable import MetricStore
import TestSupport

@Suite struct CompactionTests {
    private let up = Labels(["__name__": "up"])
    private let load = Labels(["__name__": "node_load1"])

    private func store(_ directory: TestDirectory) throws -> Store {
        var options = StoreOptions()
        options.head.blockRange = 3_600_000
        return try Store.open(directory: directory.path, options: options)
    }

    /// Seven hours of samples every 10 s in one-hour blocks; `load` only in the first two.
    private func importSeven(_ store: Store) throws {
        let all = (0..<2520).map { Sample(timestamp: Int64($0) * 10_000, value: Double($0)) }
        _ = try store.importSeries([(up, all), (load, Array(all.prefix(720)))])
    }

    @Test func finishedWindowsMergeAndKeepEverySample() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let store = try store(directory)
        defer { store.close() }
        try importSeven(store)
        #expect(store.blocks.count == 7)
        let before = try store.select([])
        let merged = try store.compactIfDue()
        // [0, 3 h) and [3 h, 6 h) are finished; the seventh hour's window is not.
        #expect(merged.map { $0.minTime..<$0.maxTime } == [0..<10_800_000, 10_800_000..<21_600_000])
        #expect(merged.allSatisfy { $0.compaction.level == 2 && $0.compaction.sources.count == 3 })
        #expect(store.blocks.count == 3)
        #expect(try store.select([]) == before)
        #expect(try BlockDirectory.blockIDs(in: directory.path, fileSystem: directory.fileSystem).count == 3)
    }

    @Test func sourcesLeftByAnInterruptedCompactionAreRemovedOnOpen() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        var sourceDirectories: [String] = []
        do {
            let store = try store(directory)
            try importSeven(store)
            sourceDirectories = store.blocks.prefix(3).map(\.directory)
            // Keep copies of three sources, as if the crash came before their deletion.
            for path in sourceDirectories { try copyTree(path, to: path + ".copy", directory.fileSystem) }
            _ = try store.compactIfDue()
            store.close()
        }
        for path in sourceDirectories { try directory.fileSystem.rename(path + ".copy", to: path) }
        let reopened = try store(directory)
        defer { reopened.close() }
        #expect(reopened.blocks.count == 3)
        #expect(sourceDirectories.allSatisfy { !directory.fileSystem.exists($0) })
        #expect(try reopened.select([.equal("__name__", "up")])[0].samples.count == 2520)
    }

    private func copyTree(_ source: String, to destination: String, _ fs: PosixFileSystem) throws {
        if fs.isDirectory(source) {
            try fs.createDirectory(destination)
            for name in try fs.list(source) { try copyTree(source + "/" + name, to: destination + "/" + name, fs) }
        } else {
            let file = try fs.create(destination)
            try file.write(try fs.read(source))
            try file.close()
        }
    }
}
