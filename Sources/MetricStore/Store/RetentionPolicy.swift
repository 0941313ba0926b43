/// How long and how much the store keeps. Whole blocks are deleted, oldest first, once they
/// end before the time limit or while all blocks together exceed the size limit; the head
/// and the WAL are never deleted by retention.
public struct RetentionPolicy: Sendable, Equatable {
    /// Milliseconds; blocks ending longer ago than this are deleted.
    public var time: Int64
    /// Bytes of blocks on disk at most; nil for no explicit limit.
    public var size: Int?
    /// Fraction of the file system the blocks may use at most, so that the store never fills
    /// the disk it shares with the database; nil for none.
    public var fileSystemFraction: Double?

    /// 15 days, and the smaller of 1 GiB and 5% of the file system.
    public static let `default` = RetentionPolicy(time: 15 * 86_400_000, size: 1 << 30, fileSystemFraction: 0.05)

    public init(time: Int64, size: Int?, fileSystemFraction: Double?) {
        self.time = time
        self.size = size
        self.fileSystemFraction = fileSystemFraction
    }

    /// The byte limit in force for a file system of `total` bytes.
    public func sizeLimit(fileSystemBytes total: Int?) -> Int? {
        let fraction = fileSystemFraction.flatMap { fraction in total.map { Int(Double($0) * fraction) } }
        switch (size, fraction) {
        case let (size?, fraction?): return min(size, fraction)
        case let (size?, nil): return size
        case let (nil, fraction?): return fraction
        case (nil, nil): return nil
        }
    }
}
