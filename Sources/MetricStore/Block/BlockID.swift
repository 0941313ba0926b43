/// A block's name: a ULID (https://github.com/ulid/spec), 48 bits of creation time in
/// milliseconds and 80 random bits, written as 26 characters of Crockford base32. IDs sort by
/// creation time both as values and as directory names, and two agents never produce the same
/// one, so blocks can be copied between data directories.
public struct BlockID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 128 bits, most significant first.
    public let high: UInt64
    public let low: UInt64

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    static let length = 26

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The ID for a block created at `milliseconds` since the epoch. Time comes from the
    /// caller so that tests and imports are deterministic.
    public init<R: RandomNumberGenerator>(milliseconds: Int64, using generator: inout R) {
        let time = UInt64(clamping: max(0, milliseconds)) & 0xFFFF_FFFF_FFFF
        let random = generator.next()
        high = time << 16 | (random >> 48)
        low = generator.next()
    }

    public init(milliseconds: Int64) {
        var generator = SystemRandomNumberGenerator()
        self.init(milliseconds: milliseconds, using: &generator)
    }

    /// Parses the canonical (upper-case) form only, so that an ID and its directory name are
    /// one-to-one; nil for anything else.
    public init?(_ text: String) {
        let characters = Array(text.utf8)
        guard characters.count == Self.length else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (position, character) in characters.enumerated() {
            guard let digit = Self.alphabet.firstIndex(of: character) else { return nil }
            // 26 × 5 = 130 bits: the first character carries only the top 3.
            if position == 0 && digit > 7 { return nil }
            high = high << 5 | low >> 59
            low = low << 5 | UInt64(digit)
        }
        self.high = high
        self.low = low
    }

    /// Milliseconds since the epoch when the ID was made.
    public var milliseconds: Int64 { Int64(high >> 16) }

    public var description: String {
        var characters = [UInt8](repeating: 0, count: Self.length)
        var high = self.high
        var low = self.low
        for position in stride(from: Self.length - 1, through: 0, by: -1) {
            characters[position] = Self.alphabet[Int(low & 31)]
            low = low >> 5 | high << 59
            high >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }

    public static func < (lhs: BlockID, rhs: BlockID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
