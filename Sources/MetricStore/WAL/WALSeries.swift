/// One entry of a series record: the label set the store first saw and the ref it gave it.
/// Sample records name the series by `ref` only.
public struct WALSeries: Hashable, Sendable {
    public var ref: SeriesRef
    public var labels: Labels

    public init(ref: SeriesRef, labels: Labels) {
        self.ref = ref
        self.labels = labels
    }
}
