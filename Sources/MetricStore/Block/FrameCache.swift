/// Decompressed frames recently read from a block, so that the chunks of neighbouring series
/// — which share frames — cost one decompression, not one each. Bounded by bytes; the least
/// recently used frame goes first. Not thread-safe: `BlockReader` keeps it behind a mutex.
struct FrameCache {
    struct Key: Hashable {
        let segment: Int
        let offset: Int
    }

    let capacity: Int
    private var entries: [Key: (frame: [UInt8], lastUse: UInt64)] = [:]
    private var size = 0
    private var clock: UInt64 = 0
    /// The frame last returned or inserted: neighbouring chunks are mostly in one frame, and
    /// this answers them without hashing. It is kept even when the frame is too large to
    /// cache or has just been evicted, so the bound is exceeded by at most one frame.
    private var last: (key: Key, frame: [UInt8])?

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { entries.count }

    mutating func frame(_ key: Key) -> [UInt8]? {
        if let last, last.key == key { return last.frame }
        guard let index = entries.index(forKey: key) else { return nil }
        clock += 1
        // In place: reassigning the entry would hash the key a second time.
        entries.values[index].lastUse = clock
        last = (key, entries.values[index].frame)
        return entries.values[index].frame
    }

    /// Frames larger than the whole cache are not kept (but are `last`).
    mutating func insert(_ frame: [UInt8], for key: Key) {
        last = (key, frame)
        guard frame.count <= capacity, entries[key] == nil else { return }
        // A linear scan for the oldest entry: the cache holds tens of frames, not thousands.
        while size + frame.count > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            size -= oldest.value.frame.count
            entries[oldest.key] = nil
        }
        clock += 1
        entries[key] = (frame, clock)
        size += frame.count
    }
}
