/// What an import wrote.
public struct ImportSummary: Sendable, Equatable {
    public var series = 0
    public var samples = 0
    public var blocks: [BlockMeta] = []
    /// Samples refused because their series already had one at that time or later in the
    /// input (duplicates, out of order within a series).
    public var skippedSamples = 0
}

public enum ImportError: Error, CustomStringConvertible {
    case input(OpenMetricsError)
    case missingTimestamp(file: String, line: Int)
    case store(StoreError)

    public var description: String {
        switch self {
        case .input(let error): error.description
        case .missingTimestamp(let file, let line):
            "\(file):\(line): expected a timestamp on every sample (the store needs to know when each value was taken)"
        case .store(let error): error.description
        }
    }
}

extension Store {
    /// Imports OpenMetrics text with timestamps — what `promtool tsdb create-blocks-from
    /// openmetrics` takes — writing blocks directly with the same codecs as the live path.
    /// The whole input is parsed before anything is written, and blocks written before a
    /// failure are removed again: a bad file leaves the store as it was.
    public func importOpenMetrics(_ bytes: [UInt8], file: String) throws(ImportError) -> ImportSummary {
        try importSeries(OpenMetricsPartsParser.parse(bytes, file: file))
    }

    /// Writes series (samples in any order) into blocks aligned to the block range.
    public func importSeries(_ series: [(Labels, [Sample])]) throws(ImportError) -> ImportSummary {
        var summary = ImportSummary()
        let range = options.head.blockRange
        var byRange: [Int64: [(Labels, [Sample])]] = [:]
        for (labels, samples) in series {
            let (unique, dropped) = samples.inTimeOrderWithoutRepeats()
            summary.skippedSamples += dropped
            guard !unique.isEmpty else { continue }
            summary.series += 1
            summary.samples += unique.count
            var start = 0
            while start < unique.count {
                let rangeStart = MemSeries.rangeEnd(containing: unique[start].timestamp, blockRange: range) - range
                var end = start
                while end < unique.count && unique[end].timestamp < rangeStart + range { end += 1 }
                byRange[rangeStart, default: []].append((labels, Array(unique[start..<end])))
                start = end
            }
        }
        do {
            for rangeStart in byRange.keys.sorted() {
                if let meta = try writeBlock(byRange[rangeStart]!, range: rangeStart..<(rangeStart + range)) {
                    summary.blocks.append(meta)
                }
            }
        } catch {
            removeBlocks(summary.blocks)
            throw .store(error)
        }
        return summary
    }

    private func removeBlocks(_ metas: [BlockMeta]) {
        let ids = Set(metas.map(\.id))
        state.withLock { $0.blocks.removeAll { ids.contains($0.meta.id) } }
        for meta in metas { try? fileSystem.remove(directory + "/" + meta.id.description) }
        try? fileSystem.syncDirectory(directory)
    }
}
