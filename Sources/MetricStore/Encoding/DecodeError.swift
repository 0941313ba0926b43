/// A data error found while decoding a stored format: what the decoder expected, at which byte
/// offset of the buffer it was given, and what it found instead.
///
/// Data errors are thrown, never trapped on: a corrupt file must be reported and quarantined, not
/// crash the agent. (Programmer errors — an encoder called against its contract — are
/// `precondition` failures whose message starts with "BUG:".)
public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset from the start of the buffer being decoded.
    public let offset: Int
    /// What the format requires at that offset, e.g. "uvarint sample count".
    public let expected: String
    /// What was there instead, e.g. "end of data" or "value 9".
    public let found: String

    public init(offset: Int, expected: String, found: String) {
        self.offset = offset
        self.expected = expected
        self.found = found
    }

    public var description: String { "at offset \(offset): expected \(expected), found \(found)" }
}
