/// The layout of a block's `index` file, drawn in full in docs/format/index.md:
///
///     ┌────────────────────────────┬──────────────┐
///     │ magic 0x53574958 <4b> SWIX │ version <1b> │
///     ├────────────────────────────┴──────────────┤
///     │ symbols                (section)          │
///     │ series                 (section)          │
///     │ postings               (section)          │
///     │ postings offset table  (section)          │
///     ├───────────────────────────────────────────┤
///     │ TOC: 4 × section offset <8b> │ crc32c <4b>│
///     └───────────────────────────────────────────┘
///
/// Every section is a `CompressedFrame` of the section's data (zstd where that is smaller), so
/// each carries its own CRC-32C. Integers in the header and the TOC are big-endian; inside
/// the sections they are varints.
enum IndexFormat {
    static let magic: UInt32 = 0x5357_4958
    static let version: UInt8 = 1
    static let headerSize = 5
    /// Decompressed sections larger than this are refused before allocating.
    static let maxSectionSize = Int(Int32.max)
    static let checksumSize = 4
    static let tocSize = IndexSection.allCases.count * 8 + checksumSize
}
