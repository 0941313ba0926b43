/// What one append did, for the caller's metrics.
public struct AppendSummary: Sendable, Equatable {
    public var appended = 0
    public var newSeries = 0
    public var outOfOrder = 0
    public var duplicates = 0
    public var tooOld = 0
}

extension Store {
    /// Appends a batch to the head and logs it to the WAL (durable at the next
    /// `flushIfDue`). A sample out of order for its series is refused and counted, never an
    /// error for the batch. If the WAL cannot be written (a full disk) the samples stay in
    /// the head — collection goes on, persistence resumes when the disk has room.
    @discardableResult
    public func append(_ batch: [(labels: Labels, sample: Sample)]) -> AppendSummary {
        var cache = SeriesRefCache()
        return append(batch, cache: &cache)
    }

    /// `append(_:)` for a caller that appends the same series batch after batch: see
    /// `SeriesRefCache`.
    @discardableResult
    public func append(_ batch: [(labels: Labels, sample: Sample)], cache: inout SeriesRefCache) -> AppendSummary {
        precondition(wal != nil, "BUG: append on a read-only store")
        var summary = AppendSummary()
        var walFailure: (any Error)?
        let change = appendOrder.withLock { unlogged in
            let floor = state.withLock { $0.appendFloor }
            let accepted = floor == .min ? batch : batch.filter { $0.sample.timestamp >= floor }
            summary.tooOld = batch.count - accepted.count
            let result = head.append(accepted, cache: &cache)
            summary.appended = result.appended.count
            summary.newSeries = result.newSeries.count
            summary.outOfOrder = result.outOfOrder
            summary.duplicates = result.duplicates
            var series = result.newSeries.map { WALSeries(ref: $0.ref, labels: $0.labels) }
            var samples = result.appended.map { WALSample(ref: $0.ref, sample: $0.sample) }
            do {
                // What an earlier failure kept back goes first, so that a series' record
                // still precedes its samples.
                try unlogged.drain(into: wal!)
                try wal!.log(series: series)
                series = []
                try wal!.log(samples: samples)
                samples = []
            } catch {
                walFailure = error
            }
            unlogged.keep(series: series)
            unlogged.keep(samples: samples)
            publishDurability(of: unlogged)
            return Self.persistenceChange(&unlogged, failed: walFailure != nil)
        }
        state.withLock { state in
            state.counters.appendedSamples += summary.appended
            state.counters.outOfOrderSamples += summary.outOfOrder
            state.counters.duplicateSamples += summary.duplicates
            state.counters.tooOldSamples += summary.tooOld
            if walFailure != nil { state.counters.walWriteErrors += 1 }
        }
        report(change, error: walFailure)
        return summary
    }

    /// Whether persistence just stopped or resumed: the owner hears of each once.
    enum PersistenceChange {
        case none
        case failed
        case recovered(samples: Int)
    }

    static func persistenceChange(_ unlogged: inout UnloggedRecords, failed: Bool) -> PersistenceChange {
        defer { unlogged.failing = failed }
        if failed { return unlogged.failing ? .none : .failed }
        return unlogged.failing ? .recovered(samples: unlogged.recoveredSamples()) : .none
    }

    private func report(_ change: PersistenceChange, error: (any Error)?) {
        switch change {
        case .none: break
        case .failed: events(.walWriteFailed("\(error.map { "\($0)" } ?? "unknown error")"))
        case .recovered(let samples): events(.walRecovered(samples: samples))
        }
    }

    /// Fsyncs the WAL if the flush interval has passed since the last fsync; the bound on
    /// what a power loss can take.
    public func flushIfDue(now: ContinuousClock.Instant = .now) {
        persist { wal in _ = try wal.flushIfDue(now: now) }
    }

    /// Fsyncs the WAL now if records are waiting, after logging what a full disk kept back:
    /// for a caller that keeps its own schedule.
    public func flush() {
        persist { wal in if wal.hasUnsyncedRecords { try wal.sync() } }
    }

    /// Logs what waits for the WAL, then runs `fsync`; counts and reports a failure (once).
    private func persist(_ fsync: (WAL) throws -> Void) {
        guard let wal else { return }
        var failure: (any Error)?
        let change = appendOrder.withLock { unlogged in
            do {
                try unlogged.drain(into: wal)
            } catch {
                failure = error
            }
            publishDurability(of: unlogged)
            return failure == nil ? .none : Self.persistenceChange(&unlogged, failed: true)
        }
        report(change, error: failure)
        guard failure == nil else {
            state.withLock { $0.counters.walWriteErrors += 1 }
            return
        }
        do {
            try fsync(wal)
        } catch {
            failure = error
        }
        let settled = appendOrder.withLock { unlogged in
            // Only now, with the records durable, has persistence recovered.
            unlogged.isEmpty || failure != nil ? Self.persistenceChange(&unlogged, failed: failure != nil) : .none
        }
        if failure != nil { state.withLock { $0.counters.walWriteErrors += 1 } }
        report(settled, error: failure)
    }

    /// Makes everything appended so far durable, including what a full disk kept back.
    public func sync() throws(StoreError) {
        var failure: (any Error)?
        persist { wal in
            do {
                try wal.sync()
            } catch {
                failure = error
                throw error
            }
        }
        let waiting = counters.samplesNotDurable
        if let failure { throw .wal("\(failure)", cause: failure) }
        if waiting > 0 { throw .wal("\(waiting) samples could not be logged (the last write failed)") }
    }

    /// Copies the waiting counts into the counters, which a reader (`/metrics`) takes without
    /// waiting for `appendOrder`, held across WAL writes that a slow disk can stretch.
    private func publishDurability(of unlogged: UnloggedRecords) {
        state.withLock { state in
            state.counters.samplesNotDurable = unlogged.samples
            state.counters.samplesDroppedFromWAL = unlogged.dropped
        }
    }

    public var counters: StoreCounters { state.withLock { $0.counters } }
}
