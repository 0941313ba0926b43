@testable import MetricStore
import Testing
import TestSupport

/// Power loss at every mutating file operation of a block write, in every crash mode of the
/// fake: after reopening there is either no block (and no leftover) or the complete block,
/// and a write that returned is never lost.
@Suite struct BlockCrashTests {
    static let directory = "/data"
    /// Small frames and segments, so that the write spans several segment files and the
    /// crash points fall between every kind of step.
    static let options = BlockWriterOptions(frameSize: 600, segmentSize: 2048)
    static let series = BlockFixtures.randomSeries(count: 24, seed: 11)

    /// Writes the block on `fileSystem`; true if `finish` returned.
    static func write(on fileSystem: PowerLossFileSystem) -> Bool {
        do {
            try BlockFixtures.writeBlock(series, in: directory, fileSystem: fileSystem, options: options)
            return true
        } catch {
            return false
        }
    }

    static func freshFileSystem() throws -> PowerLossFileSystem {
        let fileSystem = PowerLossFileSystem()
        try fileSystem.createDirectory(directory)
        fileSystem.syncEverything()
        return fileSystem
    }

    @Test(arguments: PowerLossFileSystem.CrashMode.all)
    func blockWriteIsAllOrNothingAtEveryCrashPoint(mode: PowerLossFileSystem.CrashMode) throws {
        let counting = try Self.freshFileSystem()
        counting.startCounting(crashAfter: nil)
        #expect(Self.write(on: counting))
        let operations = counting.mutatingOperations
        #expect(operations > 20)

        let expected = Self.series.sorted { IndexOrder.less($0.labels, $1.labels) }
        var complete = 0
        for crashPoint in 0...operations {
            let fileSystem = try Self.freshFileSystem()
            fileSystem.startCounting(crashAfter: crashPoint)
            let returned = Self.write(on: fileSystem)
            #expect(returned == (crashPoint == operations), "crash point \(crashPoint)")

            let rebooted = fileSystem.crash(mode)
            try BlockDirectory.removeIncompleteBlocks(in: Self.directory, fileSystem: rebooted)
            let blocks = try BlockDirectory.blockIDs(in: Self.directory, fileSystem: rebooted)
            if returned {
                #expect(blocks == [BlockFixtures.id], "a finished block was lost at crash point \(crashPoint)")
            }
            guard !blocks.isEmpty else {
                #expect(try rebooted.list(Self.directory) == [], "leftover at crash point \(crashPoint), \(mode)")
                continue
            }
            complete += 1
            #expect(try rebooted.list(Self.directory) == [BlockFixtures.id.description])
            let reader = try BlockReader(
                fileSystem: rebooted, directory: BlockFileNames.join(Self.directory, BlockFixtures.id.description))
            #expect(reader.seriesCount == expected.count)
            for (id, series) in expected.enumerated() {
                let stored = try reader.series(id)
                #expect(stored.labels == series.labels)
                #expect(try stored.chunks.map { meta throws(BlockReadError) in try reader.chunk(meta) }
                    == series.chunks.sorted { $0.minTime < $1.minTime })
            }
        }
        // The block appears only once the rename is durable (strict mode: at the last
        // operation; with entries kept, from the rename on).
        #expect(complete >= 1)
        #expect(complete <= 2)
    }
}
