#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Byte-level searches in log messages. Every journal entry passes through the classifiers, so
/// they look for ASCII anchors with `memchr` and `memcmp` on the UTF-8 bytes instead of `String` searches,
/// which compare grapheme clusters.
enum LogText {
    /// The first occurrence of `needle` in `text` at or after `from`, as a range of `text`'s indices.
    static func find(_ needle: String, in text: Substring, from: String.Index? = nil) -> Range<String.Index>? {
        let start = from ?? text.startIndex
        guard start < text.endIndex else { return nil }
        let haystack = text[start...]
        let found: Int?? = haystack.utf8.withContiguousStorageIfAvailable { hay in
            var needle = needle
            return needle.withUTF8 { pin -> Int? in
                guard pin.count > 0, pin.count <= hay.count, let base = hay.baseAddress, let pinBase = pin.baseAddress else {
                    return nil
                }
                // memchr (vectorised in glibc) finds candidates for one byte of the needle, memcmp
                // checks the whole. The byte is the needle's first that is not a lower-case letter
                // or a space, which are everywhere in log text: fewer false candidates.
                // (`memmem` is a GNU extension the Glibc module does not export.)
                var anchor = 0
                while anchor < pin.count {
                    let byte = pinBase[anchor]
                    if byte != UInt8(ascii: " ") && !(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) { break }
                    anchor += 1
                }
                if anchor == pin.count { anchor = 0 }
                let last = hay.count - pin.count
                var start = 0
                while start <= last {
                    guard let hit = memchr(base + start + anchor, Int32(pinBase[anchor]), last - start + 1) else { return nil }
                    let offset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) - anchor
                    if memcmp(base + offset, pinBase, pin.count) == 0 { return offset }
                    start = offset + 1
                }
                return nil
            }
        }
        let offset: Int?
        if let found {
            offset = found
        } else {
            offset = slowFind(Array(needle.utf8), in: Array(haystack.utf8))
        }
        guard let offset else { return nil }
        let lower = haystack.utf8.index(haystack.startIndex, offsetBy: offset)
        return lower..<haystack.utf8.index(lower, offsetBy: needle.utf8.count)
    }

    static func find(_ needle: String, in text: String) -> Range<String.Index>? {
        find(needle, in: text[...])
    }

    /// The last occurrence of `needle` in `text`.
    static func findLast(_ needle: String, in text: Substring) -> Range<String.Index>? {
        var last: Range<String.Index>?
        var from = text.startIndex
        while let hit = find(needle, in: text, from: from) {
            last = hit
            from = text.utf8.index(after: hit.lowerBound)
        }
        return last
    }

    private static func slowFind(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= hay.count else { return nil }
        for start in 0...(hay.count - needle.count) where hay[start] == needle[0] {
            if hay[start..<start + needle.count].elementsEqual(needle) { return start }
        }
        return nil
    }

    /// Leading ASCII digits of `text` as a number, and the rest; nil without a digit.
    static func leadingInteger(_ text: Substring) -> (value: UInt64, rest: Substring)? {
        var value: UInt64 = 0
        var index = text.utf8.startIndex
        var digits = 0
        while index != text.utf8.endIndex {
            let byte = text.utf8[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflowTimes, !overflowSum else { return nil }
            value = sum
            digits += 1
            index = text.utf8.index(after: index)
        }
        return digits == 0 ? nil : (value, text[index...])
    }

    /// The text up to the first of `terminators` (or all of it).
    static func prefix(_ text: Substring, upTo terminators: String) -> Substring {
        let stops = Array(terminators.utf8)
        let end = text.utf8.firstIndex { stops.contains($0) } ?? text.endIndex
        return text[..<end]
    }

    /// Whether `text` starts with `prefix`, comparing bytes.
    static func hasPrefix(_ text: Substring, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }
}
