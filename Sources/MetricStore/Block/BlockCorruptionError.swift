/// A block file that does not hold what its format requires: a checksum mismatch, a file cut
/// short, an offset pointing outside its file, a value no writer produces. It names the
/// block, the file inside it and the byte offset, so that the block can be quarantined and
/// the report points at the bytes.
public struct BlockCorruptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The block's directory.
    public let block: String
    /// The file inside the block: `index`, `meta.json`, `chunks/000001`.
    public let file: String
    public let offset: Int
    public let expected: String
    public let found: String

    public init(block: String, file: String, offset: Int, expected: String, found: String) {
        self.block = block
        self.file = file
        self.offset = offset
        self.expected = expected
        self.found = found
    }

    public var description: String {
        "corrupt block \(block): \(file) at offset \(offset): expected \(expected), found \(found)"
    }
}
