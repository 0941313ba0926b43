import MetricStore
import TestSupport
import Testing

/// A data directory created with missing parents (`/data/store` on a host without `/data`):
/// every directory made on the way is durable once the first sync returns. Before, only the
/// last level was synced in its parent, and a power loss took the whole WAL with `/data`.
@Suite struct StoreNewDirectoryDurabilityTests {
    @Test(arguments: ["/store", "/data/store", "/var/lib/scalewatch/data"])
    func theFirstSyncedSampleSurvivesPowerLoss(_ directory: String) throws {
        let fs = PowerLossFileSystem()
        let store = try Store.open(directory: directory, fileSystem: fs)
        store.append([(labels: Labels(["__name__": "up"]), sample: Sample(timestamp: 0, value: 1))])
        try store.sync()
        let reopened = try Store.open(directory: directory, fileSystem: fs.crash(.strict))
        defer { reopened.close() }
        #expect(try reopened.select([.equal("__name__", "up")]).flatMap(\.samples).map(\.value) == [1])
        store.close()
    }

    @Test func parentsAreFoundAsPathsSay() {
        #expect(FilePath.parent(of: "/data/store") == "/data")
        #expect(FilePath.parent(of: "/data/store/") == "/data")
        #expect(FilePath.parent(of: "/store") == "/")
        #expect(FilePath.parent(of: "store") == ".")
        #expect(FilePath.parent(of: "/") == "/")
    }
}
