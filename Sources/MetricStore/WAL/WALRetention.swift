/// How much truncation may keep for consumers that have not read it yet (a remote-write
/// shipper behind an unreachable receiver): segments a consumer's low-watermark still needs
/// stay until they exceed either bound, and then go anyway, oldest first, counted as dropped.
/// The bounds keep a dead consumer from filling the disk.
public struct WALRetention: Hashable, Sendable {
    /// The most bytes of kept segments; 0 (or less) keeps none.
    public var maxBytes: Int
    /// The longest a segment is kept after truncation first wanted it gone.
    public var maxAge: Duration

    /// Keeps nothing: truncation removes everything before the checkpoint, as without consumers.
    public static let none = WALRetention(maxBytes: 0, maxAge: .zero)

    public init(maxBytes: Int = 1 << 30, maxAge: Duration = .seconds(6 * 3600)) {
        self.maxBytes = maxBytes
        self.maxAge = maxAge
    }
}
