/// The store's short name for a series: assigned once, in the order series are first seen,
/// and written in the WAL so that sample records need not repeat label sets.
public struct SeriesRef: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: SeriesRef, rhs: SeriesRef) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "series#\(rawValue)" }
}
