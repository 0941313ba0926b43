/// What one caller appended last time, by position in its batch: the agent's collections list
/// their series in the same order every time, so the head finds a steady series' ref by
/// comparing its labels with those at the same position — equal arrays that share storage
/// compare at once — instead of hashing them. A miss (a new, gone or reordered series) falls
/// back to the hash lookup; a stale ref or slot (the series was cut from the head, its slot
/// reused) is never used.
public struct SeriesRefCache: Sendable {
    var labels: [Labels] = []
    var refs: [SeriesRef] = []
    /// Where each series sits in the head's `SeriesTable`, checked against its ref on use.
    var slots: [Int] = []

    public init() {}

    init(labels: [Labels], refs: [SeriesRef], slots: [Int]) {
        self.labels = labels
        self.refs = refs
        self.slots = slots
    }
}
