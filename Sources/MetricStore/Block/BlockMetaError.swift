/// Why `meta.json` could not be read. `unsupportedVersion` is not corruption: the block was
/// written by a newer scalewatch and must be left alone, not quarantined.
public enum BlockMetaError: Error, Equatable, CustomStringConvertible {
    /// Not JSON of the expected form; `offset` is the byte where `expected` was not found.
    case malformed(offset: Int, expected: String)
    /// A well-formed document whose field (a dotted path) is missing or has the wrong type.
    case invalidField(String, expected: String)
    case unsupportedVersion(Int)

    public var description: String {
        switch self {
        case .malformed(let offset, let expected): "at offset \(offset): expected \(expected)"
        case .invalidField(let path, let expected): "field \(path): expected \(expected)"
        case .unsupportedVersion(let version):
            "version \(version) is not supported (this build reads version \(BlockMeta.currentVersion))"
        }
    }
}
