/// A set of series refs as a bitmap: the head hands one to a WAL checkpoint, which asks about
/// every sample it copies, so that each question is a shift and a mask instead of a lock and
/// a hash. Refs are dense (the head numbers series from 1 up), so the bitmap is small: one
/// bit per series ever created.
public struct SeriesRefSet: Sendable {
    private var words: [UInt64]

    init(capacity: UInt64) {
        words = Array(repeating: 0, count: Int((capacity + 63) / 64))
    }

    mutating func insert(_ ref: SeriesRef) {
        let index = Int(ref.rawValue / 64)
        if index >= words.count { words += Array(repeating: 0, count: index - words.count + 1) }
        words[index] |= 1 << (ref.rawValue % 64)
    }

    public func contains(_ ref: SeriesRef) -> Bool {
        let index = ref.rawValue / 64
        return index < words.count && words[Int(index)] & 1 << (ref.rawValue % 64) != 0
    }
}
