/// A postings list on disk: the ordinals of the series holding one label pair, ascending,
/// delta-coded so that the runs of neighbouring series that share a metric name cost one byte
/// each:
///
///     │ count <uvarint> │ first id <uvarint> │ id − previous id <uvarint, ≥ 1> … │
enum PostingsList {
    static func encode(_ ids: [Int], into writer: inout ByteWriter) {
        writer.putUvarint(UInt64(ids.count))
        var previous = 0
        for (index, id) in ids.enumerated() {
            precondition(index == 0 || id > previous, "BUG: postings must be strictly ascending")
            writer.putUvarint(UInt64(index == 0 ? id : id - previous))
            previous = id
        }
    }

    /// Decodes one list, checking that ids ascend and are below `seriesCount`. On bad input
    /// the cursor holds the error and the result is meaningless.
    static func decode(_ cursor: inout ByteCursor, seriesCount: Int) -> [Int] {
        let start = cursor.offset
        let count = cursor.uvarint("postings count")
        // Every id takes at least one byte: a larger count is a lie, not a big allocation.
        guard count <= UInt64(cursor.remaining) else {
            cursor.fail("a postings count of at most \(cursor.remaining)", found: "\(count)", at: start)
            return []
        }
        var ids: [Int] = []
        ids.reserveCapacity(Int(count))
        var previous: UInt64 = 0
        for index in 0..<Int(count) {
            let idStart = cursor.offset
            let delta = cursor.uvarint("postings id")
            let (id, overflow) = previous.addingReportingOverflow(delta)
            guard cursor.error == nil else { return [] }
            guard !overflow, index == 0 || delta > 0, id < UInt64(seriesCount) else {
                cursor.fail(
                    "a series id above \(index == 0 ? "none" : String(previous)) and below \(seriesCount)",
                    found: overflow ? "an overflowing delta" : "\(id)", at: idStart)
                return []
            }
            ids.append(Int(id))
            previous = id
        }
        return ids
    }
}
