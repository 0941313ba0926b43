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
        var walFailure: String?
        appendOrder.withLock { _ in
            let floor = state.withLock { $0.appendFloor }
            let accepted = floor == .min ? batch : batch.filter { $0.sample.timestamp >= floor }
            summary.tooOld = batch.count - accepted.count
            let result = head.append(accepted, cache: &cache)
            summary.appended = result.appended.count
            summary.newSeries = result.newSeries.count
            summary.outOfOrder = result.outOfOrder
            summary.duplicates = result.duplicates
            do {
                if !result.newSeries.isEmpty {
                    try wal!.log(series: result.newSeries.map { WALSeries(ref: $0.ref, labels: $0.labels) })
                }
                if !result.appended.isEmpty {
                    try wal!.log(samples: result.appended.map { WALSample(ref: $0.ref, sample: $0.sample) })
                }
            } catch {
                walFailure = "\(error)"
            }
        }
        state.withLock { state in
            state.counters.appendedSamples += summary.appended
            state.counters.outOfOrderSamples += summary.outOfOrder
            state.counters.duplicateSamples += summary.duplicates
            state.counters.tooOldSamples += summary.tooOld
            if walFailure != nil { state.counters.walWriteErrors += 1 }
        }
        if let walFailure { events(.walWriteFailed(walFailure)) }
        return summary
    }

    /// Fsyncs the WAL if the flush interval has passed since the last fsync; the bound on
    /// what a power loss can take.
    public func flushIfDue(now: ContinuousClock.Instant = .now) {
        do {
            _ = try wal?.flushIfDue(now: now)
        } catch {
            state.withLock { $0.counters.walWriteErrors += 1 }
            events(.walWriteFailed("\(error)"))
        }
    }

    /// Fsyncs the WAL now if records are waiting: for a caller that keeps its own schedule.
    public func flush() {
        do {
            if wal?.hasUnsyncedRecords == true { try wal?.sync() }
        } catch {
            state.withLock { $0.counters.walWriteErrors += 1 }
            events(.walWriteFailed("\(error)"))
        }
    }

    /// Makes everything appended so far durable.
    public func sync() throws(StoreError) {
        do {
            try wal?.sync()
        } catch {
            throw .wal("\(error)", cause: error)
        }
    }

    public var counters: StoreCounters { state.withLock { $0.counters } }
}
