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
    /// Imports an OpenMetrics file with timestamps — what `promtool tsdb create-blocks-from
    /// openmetrics` takes — writing blocks directly with the same codecs as the live path. The
    /// file is read in windows and each series is encoded as it goes, so memory stays bounded
    /// by the window and the compressed chunks, not the file's size. The whole input is parsed
    /// before anything is written, and blocks written before a failure are removed again: a bad
    /// file leaves the store as it was.
    public func importOpenMetrics(file path: String) throws(ImportError) -> ImportSummary {
        let windows: OpenMetricsWindows
        do {
            windows = try OpenMetricsWindows(path: path)
        } catch {
            throw .store(.io(error))
        }
        return try importOpenMetrics(windows, file: path)
    }

    /// Imports OpenMetrics text already in memory, the same way as a file.
    public func importOpenMetrics(_ bytes: [UInt8], file: String) throws(ImportError) -> ImportSummary {
        try importOpenMetrics(OpenMetricsWindows(bytes: bytes), file: file)
    }

    /// Both imports come here (tests with small windows): every window is parsed and encoded
    /// before the first block is written.
    func importOpenMetrics(_ windows: OpenMetricsWindows, file: String) throws(ImportError) -> ImportSummary {
        var accumulator = ImportAccumulator(blockRange: options.head.blockRange, chunkSamples: options.blockChunkSamples)
        var progress = OpenMetricsPartsParser.Progress()
        while true {
            let next: OpenMetricsWindows.Window?
            do {
                next = try windows.next()
            } catch {
                throw .store(.io(error))
            }
            guard let window = next else { break }
            let parts = try OpenMetricsPartsParser.parse(
                window.bytes, window: window.range, isInputEnd: window.isLast, file: file, progress: &progress)
            for part in parts {
                for (labels, samples) in zip(part.series, part.samples) { accumulator.add(labels, samples) }
            }
            accumulator.endWindow()
        }
        return try write(accumulator.finish())
    }

    /// Writes series (samples in any order) into blocks aligned to the block range.
    public func importSeries(_ series: [(Labels, [Sample])]) throws(ImportError) -> ImportSummary {
        var encoded = EncodedImport()
        for (labels, samples) in series {
            let (ordered, dropped) = samples.inTimeOrderWithoutRepeats()
            encoded.skippedSamples += dropped
            encoded.add(labels, ordered: ordered, blockRange: options.head.blockRange, chunkSamples: options.blockChunkSamples)
        }
        return try write(encoded)
    }

    /// One block per range, oldest first; on a failure the blocks already written go again.
    private func write(_ encoded: EncodedImport) throws(ImportError) -> ImportSummary {
        var summary = ImportSummary(series: encoded.series, samples: encoded.samples, skippedSamples: encoded.skippedSamples)
        let range = options.head.blockRange
        do {
            for rangeStart in encoded.byRange.keys.sorted() {
                if let meta = try writeBlock(encoded: encoded.byRange[rangeStart]!, range: rangeStart..<(rangeStart + range)) {
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
