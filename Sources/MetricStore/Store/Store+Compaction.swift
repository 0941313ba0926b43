extension Store {
    /// Block ranges compaction merges into, as multiples of the head's block range: three 2 h
    /// blocks make a 6 h block, three of those an 18 h one, as Prometheus' exponential ranges.
    /// Fewer, larger blocks mean fewer indexes to search and longer runs for zstd.
    static let compactionFactors: [Int64] = [3, 9, 27]

    /// Merges the blocks of each finished window of a larger range into one block. A window
    /// is finished when the head has moved past it, so no new block will land in it. The
    /// merged block is durable before its sources are deleted; after a crash between the two,
    /// `removeCompactedSources` (run on open) finishes the job.
    @discardableResult
    public func compactIfDue() throws(StoreError) -> [BlockMeta] {
        var written: [BlockMeta] = []
        for factor in Self.compactionFactors {
            let range = options.head.blockRange * factor
            let headStart = head.timeRange?.minTime ?? .max
            var windows: [Int64: [BlockReader]] = [:]
            for block in blocks {
                let start = MemSeries.rangeEnd(containing: block.meta.minTime, blockRange: range) - range
                guard block.meta.maxTime <= start + range else { continue }
                windows[start, default: []].append(block)
            }
            let newestEnd = blocks.map(\.meta.maxTime).max() ?? .min
            for start in windows.keys.sorted() {
                let members = windows[start]!
                // Finished: blocks and head have moved past the window, so no block will land
                // in it any more.
                guard members.count > 1, start + range <= headStart, start + range <= newestEnd else { continue }
                written.append(try merge(members, into: start..<(start + range)))
            }
        }
        return written
    }

    private func merge(_ members: [BlockReader], into range: Range<Int64>) throws(StoreError) -> BlockMeta {
        var bySeries: [Labels: [Sample]] = [:]
        do {
            for block in members.sorted(by: { $0.meta.minTime < $1.meta.minTime }) {
                for id in 0..<block.seriesCount {
                    let series = try block.series(id)
                    var samples = bySeries[series.labels] ?? []
                    for meta in series.chunks {
                        let chunk = try block.chunk(meta)
                        try ChunkEncoding(rawValue: chunk.encoding).decode(chunk.bytes[...], appendingTo: &samples)
                    }
                    bySeries[series.labels] = samples
                }
            }
        } catch {
            throw .block("reading blocks to compact: \(error)", cause: error)
        }
        // Sources do not overlap in time, but an import may have added an overlapping block.
        let series = bySeries.map { labels, samples in (labels, samples.inTimeOrderWithoutRepeats().samples) }
        let compaction = BlockCompaction(
            level: (members.map(\.meta.compaction.level).max() ?? 1) + 1,
            sources: members.flatMap(\.meta.compaction.sources).sorted())
        guard let meta = try writeBlock(series, range: range, compaction: compaction) else {
            throw .block("compaction of \(members.count) blocks produced no series")
        }
        try deleteBlocks(members)
        return meta
    }

    /// Deletes blocks whose data a durable compacted block already holds: every one of their
    /// sources is among another block's sources.
    static func compactedSources(of blocks: [BlockReader]) -> [BlockReader] {
        blocks.filter { block in
            let own = Set(block.meta.compaction.sources)
            return blocks.contains { other in
                other.meta.id != block.meta.id && other.meta.compaction.level > block.meta.compaction.level
                    && own.isSubset(of: Set(other.meta.compaction.sources))
            }
        }
    }

    func deleteBlocks(_ doomed: [BlockReader]) throws(StoreError) {
        let ids = Set(doomed.map(\.meta.id))
        state.withLock { $0.blocks.removeAll { ids.contains($0.meta.id) } }
        do {
            for block in doomed { try fileSystem.remove(block.directory) }
            try fileSystem.syncDirectory(directory)
        } catch {
            throw .io(error)
        }
    }
}
