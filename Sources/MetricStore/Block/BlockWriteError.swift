/// Why a block could not be written. Input errors (`duplicateSeries`, `invalidSeries`) reject
/// one `add` and leave the writer usable; the others end the write, and the caller aborts it.
public enum BlockWriteError: Error, Equatable, CustomStringConvertible {
    case io(FileSystemError)
    /// A complete block with this ID is already in the directory.
    case blockExists(String)
    case duplicateSeries(Labels)
    case invalidSeries(Labels, reason: String)
    /// `finish` was given a time range that does not hold every chunk.
    case outsideTimeRange(minTime: Int64, maxTime: Int64)
    /// No series and no explicit time range: there is nothing to say the block covers.
    case emptyBlock
    /// The writer already finished, failed or was aborted.
    case closed

    public var description: String {
        switch self {
        case .io(let error): "block write failed: \(error)"
        case .blockExists(let path): "block \(path) already exists"
        case .duplicateSeries(let labels): "series \(labels.pairs) added twice"
        case .invalidSeries(let labels, let reason): "series \(labels.pairs): \(reason)"
        case .outsideTimeRange(let minTime, let maxTime):
            "chunks span [\(minTime), \(maxTime)], outside the block's time range"
        case .emptyBlock: "a block without series needs an explicit time range"
        case .closed: "the block writer is closed"
        }
    }
}
