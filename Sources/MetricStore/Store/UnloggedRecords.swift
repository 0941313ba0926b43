/// What the WAL refused (a full disk), kept in append order until it takes it again. The
/// samples are in the head meanwhile and answer queries, but only the WAL lets them survive a
/// restart: without this, an outage of the disk became a hole in the data after the next
/// restart even though space had long come back.
///
/// Bounded by `maxSamples` (24 bytes each; the default million is about 17 minutes of a large
/// host's collections): beyond it the oldest sample records are dropped and counted. Series records
/// are never dropped, since samples logged later need them, and a head has few of them.
struct UnloggedRecords: Sendable {
    enum Record: Sendable {
        case series([WALSeries])
        case samples([WALSample])
    }

    let maxSamples: Int

    init(maxSamples: Int = 1_000_000) {
        self.maxSamples = maxSamples
    }

    private(set) var records: [Record] = []
    /// Samples waiting, for the not-yet-durable gauge.
    private(set) var samples = 0
    /// Samples given up on because too many were waiting.
    private(set) var dropped = 0
    /// Whether the WAL's last write or fsync failed: the owner is told once when this turns
    /// on and once when it turns off, not at every refused collection.
    var failing = false
    /// Samples kept back since persistence last failed, for the recovery's report.
    private var keptSinceFailure = 0

    var isEmpty: Bool { records.isEmpty }

    mutating func keep(series: [WALSeries]) {
        if !series.isEmpty { records.append(.series(series)) }
    }

    mutating func keep(samples batch: [WALSample]) {
        guard !batch.isEmpty else { return }
        records.append(.samples(batch))
        samples += batch.count
        keptSinceFailure += batch.count
        while samples > maxSamples, let oldest = records.firstIndex(where: { if case .samples = $0 { true } else { false } }) {
            guard case .samples(let gone) = records.remove(at: oldest) else { break }
            samples -= gone.count
            dropped += gone.count
            // Not logged at the recovery after all: its report counts only what it logs.
            keptSinceFailure -= gone.count
        }
    }

    /// How many samples waited during the failure that just ended; starts the next count.
    mutating func recoveredSamples() -> Int {
        defer { keptSinceFailure = 0 }
        return keptSinceFailure
    }

    /// Logs what waits, oldest first, and forgets each record the WAL took. Stops at the
    /// first refusal, keeping that record and everything after it. A multi-segment record
    /// refused halfway may be logged twice; replay counts the second copy as duplicates.
    mutating func drain(into wal: WAL) throws {
        var logged = 0
        defer {
            for record in records.prefix(logged) {
                if case .samples(let batch) = record { samples -= batch.count }
            }
            records.removeFirst(logged)
        }
        for record in records {
            switch record {
            case .series(let series): try wal.log(series: series)
            case .samples(let batch): try wal.log(samples: batch)
            }
            logged += 1
        }
    }
}
