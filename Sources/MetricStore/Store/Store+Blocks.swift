extension Store {
    /// Cuts the head into blocks while it spans more than one and a half block ranges, as
    /// Prometheus does: the newest part stays in memory for appends and fast queries.
    @discardableResult
    public func cutBlocksIfDue() throws(StoreError) -> [BlockMeta] {
        let range = options.head.blockRange
        var written: [BlockMeta] = []
        while let (minTime, maxTime) = head.timeRange, maxTime - minTime >= range + range / 2 {
            let start = MemSeries.rangeEnd(containing: minTime, blockRange: range) - range
            written.append(contentsOf: try cutBlock(before: start + range, range: start..<(start + range)))
        }
        return written
    }

    /// Writes every head chunk before `boundary` into a block, then checkpoints the WAL so
    /// that it no longer holds them.
    func cutBlock(before boundary: Int64, range: Range<Int64>) throws(StoreError) -> [BlockMeta] {
        // Between the cut and the block's arrival among the readers, an append must not put
        // a sample before the boundary into the head: it would be neither in the block nor
        // ever cut.
        let (cut, previousFloor) = appendOrder.withLock { _ in
            let previous = state.withLock { state in
                defer { state.cutFloor = max(state.cutFloor, boundary) }
                return state.cutFloor
            }
            return (head.cut(before: boundary), previous)
        }
        var series: [(Labels, [Sample])] = []
        for entry in cut {
            var samples: [Sample] = []
            for chunk in entry.chunks {
                // Head chunks were written by this process: a decode error is a bug, but it
                // must cost one series, not the block.
                if let decoded = try? chunk.samples() { samples.append(contentsOf: decoded) }
            }
            if !samples.isEmpty { series.append((entry.labels, samples)) }
        }
        var written: [BlockMeta] = []
        do {
            if !series.isEmpty, let meta = try writeBlock(series, range: range) { written.append(meta) }
        } catch {
            // Not written (a full disk): the samples go back into the head, to be cut again.
            appendOrder.withLock { _ in
                head.restore(cut)
                state.withLock { $0.cutFloor = previousFloor }
            }
            throw error
        }
        do {
            // Taken at the checkpoint's first question, after it started a new segment: every
            // series whose record it copies was in the head by then, and a series created later
            // is logged to the new segment, which it does not touch.
            var live: SeriesRefSet?
            try wal?.checkpointAndTruncate(minTime: boundary) { ref in
                if live == nil { live = self.head.liveSeriesRefs() }
                return live!.contains(ref)
            }
        } catch {
            throw .wal("checkpoint after block: \(error)", cause: error)
        }
        return written
    }

    /// Writes one block of the given series (samples in time order, inside `range`) with the
    /// compact chunk encoding, and adds it to the store's readers.
    func writeBlock(
        _ series: [(Labels, [Sample])], range: Range<Int64>, compaction: BlockCompaction? = nil
    ) throws(StoreError) -> BlockMeta? {
        let limit = options.blockChunkSamples
        // Lazily: each series is encoded as the writer takes it, not all of them up front.
        let encoded = series.lazy.map { labels, samples in (labels, Self.compactChunks(samples[...], limit: limit)) }
        return try writeBlock(encoded: encoded, range: range, compaction: compaction)
    }

    /// Writes one block of series already encoded into chunks (in time order, inside `range`),
    /// and adds it to the store's readers.
    func writeBlock(
        encoded series: some Collection<(Labels, [EncodedChunk])>, range: Range<Int64>, compaction: BlockCompaction? = nil
    ) throws(StoreError) -> BlockMeta? {
        guard !series.isEmpty else { return nil }
        let id = BlockID(milliseconds: range.lowerBound)
        do {
            let writer = try BlockWriter(fileSystem: fileSystem, directory: directory, id: id, options: options.blockWriter)
            for (labels, chunks) in series {
                try writer.add(labels, chunks: chunks)
            }
            let meta = try writer.finish(timeRange: range, compaction: compaction)
            let reader = try BlockReader(fileSystem: fileSystem, directory: directory + "/" + id.description)
            state.withLock { state in
                state.blocks.append(reader)
                state.blocks.sort { $0.meta.minTime < $1.meta.minTime }
                state.counters.blocksWritten += 1
            }
            events(.blockWritten(meta))
            return meta
        } catch {
            throw .block("writing block \(id) for [\(range.lowerBound), \(range.upperBound)): \(error)", cause: error)
        }
    }

    /// Chunks of `limit` samples (the last one shorter), in time order.
    static func compactChunks(_ samples: ArraySlice<Sample>, limit: Int) -> [EncodedChunk] {
        var chunks: [EncodedChunk] = []
        var start = samples.startIndex
        while start < samples.endIndex {
            let end = min(samples.endIndex, start + limit)
            let slice = samples[start..<end]
            var bytes: [UInt8] = []
            CompactChunkCodec.encode(slice, into: &bytes)
            chunks.append(EncodedChunk(
                minTime: slice.first!.timestamp, maxTime: slice.last!.timestamp, sampleCount: slice.count,
                encoding: ChunkEncoding.compact.rawValue, bytes: bytes))
            start = end
        }
        return chunks
    }
}
