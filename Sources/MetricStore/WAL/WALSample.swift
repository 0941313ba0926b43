/// One entry of a samples record. Equality compares the value's bit pattern (see `Sample`):
/// the WAL gives back NaN payloads such as the stale marker exactly.
public struct WALSample: Hashable, Sendable, CustomStringConvertible {
    public var ref: SeriesRef
    public var sample: Sample

    public init(ref: SeriesRef, sample: Sample) {
        self.ref = ref
        self.sample = sample
    }

    public init(ref: SeriesRef, timestamp: Int64, value: Double) {
        self.init(ref: ref, sample: Sample(timestamp: timestamp, value: value))
    }

    public var description: String { "\(ref) \(sample)" }
}
