import Testing
@testable import MetricStore
import TestSupport

/// The WAL under simulated power loss at every point of a workload that logs, syncs, rotates
/// segments and checkpoints: after each crash, in each crash mode, opening succeeds, nothing
/// is damaged, and every record acknowledged as durable (its sync returned) is replayed.
@Suite struct WALPowerLossTests {
    enum Step {
        case series([WALSeries])
        case samples([WALSample])
        case sync
        case checkpoint(minTime: Int64)
    }

    static let segmentSize = 160

    /// Four series, then rounds of samples with a sync every third round, a new series in
    /// round 7, and checkpoints in rounds 5 and 9 that drop samples older than 15 ms before.
    static let workload: [Step] = {
        var steps: [Step] = [.series((1...4).map { WALFixtures.series($0, "m\($0)") })]
        for round in 0..<12 as Range<Int64> {
            if round == 7 { steps.append(.series([WALFixtures.series(5, "m5")])) }
            let refs: [UInt64] = round >= 7 ? [1, 2, 3, 4, 5] : [1, 2, 3, 4]
            steps.append(.samples(refs.map { WALFixtures.sample($0, round * 10 + Int64($0), round % 4 == 3 ? StaleMarker.value : Double(round)) }))
            if round % 3 == 2 { steps.append(.sync) }
            if round == 5 || round == 9 { steps.append(.checkpoint(minTime: round * 10 - 15)) }
        }
        steps.append(.sync)
        return steps
    }()

    /// What a run promised before the power went out.
    struct Promises {
        var logged: Set<WALSample> = []
        var durableSamples: [WALSample] = []
        var durableSeries: [WALSeries] = []
        /// Samples older than this may have been checkpointed away.
        var minTime = Int64.min
        var completed = false
    }

    /// Runs the workload against `fs` until it ends or the power goes out.
    static func run(on fs: PowerLossFileSystem) -> Promises {
        var promises = Promises()
        var pendingSamples: [WALSample] = []
        var pendingSeries: [WALSeries] = []
        do {
            let (wal, _) = try WAL.open(
                directory: WALFixtures.directory, fileSystem: fs, options: WALOptions(segmentSize: segmentSize)) { _ in }
            for step in workload {
                switch step {
                case .series(let series):
                    pendingSeries += series
                    try wal.log(series: series)
                case .samples(let samples):
                    promises.logged.formUnion(samples)
                    pendingSamples += samples
                    try wal.log(samples: samples)
                case .sync:
                    try wal.sync()
                case .checkpoint(let minTime):
                    promises.minTime = max(promises.minTime, minTime)
                    // Cutting the segment syncs it: everything before is durable on return.
                    try wal.checkpointAndTruncate(minTime: minTime) { _ in true }
                }
                if case .samples = step { continue }
                if case .series = step { continue }
                promises.durableSamples += pendingSamples
                promises.durableSeries += pendingSeries
                pendingSamples = []
                pendingSeries = []
            }
            try wal.close()
            promises.completed = true
        } catch {
            // The power went out: nothing after this was acknowledged.
        }
        return promises
    }

    /// Reopens after a crash and checks the promises; then proves the WAL still works.
    static func verify(_ promises: Promises, after fs: PowerLossFileSystem, _ context: Comment) throws {
        var records: [WALRecord] = []
        let (wal, report) = try WAL.open(
            directory: WALFixtures.directory, fileSystem: fs, options: WALOptions(segmentSize: segmentSize)
        ) { records.append($0) }
        #expect(report.corruptions.isEmpty, context)

        let series = WALFixtures.series(in: records)
        let samples = WALFixtures.samples(in: records)
        for expected in promises.durableSeries {
            #expect(series.contains(expected), "\(context): lost \(expected)")
        }
        for expected in promises.durableSamples where expected.sample.timestamp >= promises.minTime {
            #expect(samples.contains(expected), "\(context): lost \(expected)")
        }
        #expect(Set(samples).isSubset(of: promises.logged), "\(context): invented samples")
        #expect(Set(samples).count == samples.count, "\(context): duplicates")
        let known = Set(series.map(\.ref))
        #expect(samples.allSatisfy { known.contains($0.ref) }, "\(context): sample before its series")

        // Recovery leaves a WAL that takes records and gives them back.
        let probe = WALFixtures.sample(1, 1_000_000, 42)
        try wal.log(samples: [probe])
        try wal.sync()
        try wal.close()
        let (again, againReport) = try WALFixtures.replay(fs.crash())
        #expect(WALFixtures.samples(in: again).last == probe, context)
        #expect(againReport.corruptions.isEmpty && againReport.tornTail == nil, context)
    }

    /// The number of mutating operations the whole workload performs.
    static func operationCount() -> Int {
        let fs = WALFixtures.fileSystem()
        let promises = run(on: fs)
        precondition(promises.completed)
        return fs.mutatingOperations
    }

    @Test func everyCrashPointInEveryMode() throws {
        let total = Self.operationCount()
        #expect(total > 60, "the workload should rotate and checkpoint")
        for crashPoint in 0...total {
            let fs = WALFixtures.fileSystem(crashAfter: crashPoint)
            let promises = Self.run(on: fs)
            #expect(promises.completed == (crashPoint == total))
            for mode in PowerLossFileSystem.CrashMode.all {
                try Self.verify(promises, after: fs.crash(mode), "crash after \(crashPoint) of \(total), \(mode)")
            }
        }
    }

    /// A second power loss during recovery (truncating the torn tail, clean-up, the new
    /// segment) must be as harmless as the first.
    @Test func crashDuringRecovery() throws {
        let total = Self.operationCount()
        for crashPoint in stride(from: 3, through: total, by: 5) {
            let fs = WALFixtures.fileSystem(crashAfter: crashPoint)
            let promises = Self.run(on: fs)
            for mode in [PowerLossFileSystem.CrashMode(data: .tornInHalf, entries: .undone), .init(data: .tornInHalf, entries: .kept)] {
                let first = fs.crash(mode)
                var recoveryCrash = 0
                while true {
                    let attempt = first.crash(.strict)  // an independent copy
                    attempt.startCounting(crashAfter: recoveryCrash)
                    _ = try? WAL.open(directory: WALFixtures.directory, fileSystem: attempt,
                                      options: WALOptions(segmentSize: Self.segmentSize)) { _ in }
                    try Self.verify(promises, after: attempt.crash(mode), "crash after \(crashPoint), again after \(recoveryCrash) of recovery, \(mode)")
                    if !attempt.hasReachedCrashPoint { break }
                    recoveryCrash += 1
                }
            }
        }
    }
}
