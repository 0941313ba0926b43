/// The order of strings and label sets in a block's index: by UTF-8 bytes, as Prometheus and
/// every other reader of the format would compare them. (Swift's `<` on `String` compares
/// Unicode-normalized forms, which is not an order a file format can name.)
enum IndexOrder {
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// Lexicographic by pairs, each pair by name then value; a prefix sorts first.
    static func less(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (l, r) in zip(lhs.pairs, rhs.pairs) {
            if !l.name.utf8.elementsEqual(r.name.utf8) { return less(l.name, r.name) }
            if !l.value.utf8.elementsEqual(r.value.utf8) { return less(l.value, r.value) }
        }
        return lhs.pairs.count < rhs.pairs.count
    }
}
