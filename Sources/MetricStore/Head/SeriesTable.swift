/// The head's series, in slots of an array with a ref → slot index beside it. A caller that
/// remembers a series' slot (the `SeriesRefCache`) reaches it with one array access instead of
/// hashing its ref: a steady-state append touches no hash table at all. Slots of removed
/// series are reused, so the array stays as large as the most series ever live at once.
struct SeriesTable {
    private var slots: ContiguousArray<MemSeries?> = []
    private var slotsByRef: [SeriesRef: Int] = [:]
    private var freeSlots: [Int] = []

    var count: Int { slotsByRef.count }
    var isEmpty: Bool { slotsByRef.isEmpty }
    var refs: Dictionary<SeriesRef, Int>.Keys { slotsByRef.keys }
    var values: some Sequence<MemSeries> { slots.lazy.compactMap { $0 } }

    func slot(of ref: SeriesRef) -> Int? { slotsByRef[ref] }

    subscript(ref: SeriesRef) -> MemSeries? {
        guard let slot = slotsByRef[ref] else { return nil }
        return slots[slot]
    }

    /// Adds a series under its ref (which must not be in the table) and returns its slot.
    mutating func insert(_ series: MemSeries) -> Int {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = series
        } else {
            slot = slots.count
            slots.append(series)
        }
        slotsByRef[series.ref] = slot
        return slot
    }

    mutating func remove(_ ref: SeriesRef) {
        guard let slot = slotsByRef.removeValue(forKey: ref) else { return }
        slots[slot] = nil
        freeSlots.append(slot)
    }

    /// Changes the series in `slot` in place if it is still `ref`'s (a slot may have been
    /// freed and reused since a caller remembered it); nil if not.
    @discardableResult
    mutating func update<Result>(slot: Int, ref: SeriesRef, _ change: (inout MemSeries) -> Result) -> Result? {
        guard slot >= 0, slot < slots.count, slots[slot]?.ref == ref else { return nil }
        return change(&slots[slot]!)
    }

    /// Changes `ref`'s series in place; nil if it is not in the table.
    @discardableResult
    mutating func update<Result>(_ ref: SeriesRef, _ change: (inout MemSeries) -> Result) -> Result? {
        guard let slot = slotsByRef[ref] else { return nil }
        return change(&slots[slot]!)
    }
}
