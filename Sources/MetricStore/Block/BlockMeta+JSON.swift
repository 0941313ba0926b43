/// `meta.json` for exactly the shape of `BlockMeta` (docs/format/meta.md), written and read
/// without Foundation. Writing is deterministic — fixed member order, two-space indentation,
/// a final newline — so the bytes can be pinned by a golden test.
extension BlockMeta {
    /// Larger `meta.json` files are refused before parsing; a real one is a few hundred bytes
    /// plus 30 per source block.
    public static let maxJSONSize = 1 << 20

    public func jsonBytes() -> [UInt8] {
        var json = JSONWriter(indentation: 2)
        json.beginObject()
        json.key("version")
        json.integer(version)
        json.key("id")
        json.string(id.description)
        json.key("minTime")
        json.integer(minTime)
        json.key("maxTime")
        json.integer(maxTime)
        json.key("stats")
        json.beginObject()
        json.key("series")
        json.integer(stats.series)
        json.key("samples")
        json.integer(stats.samples)
        json.key("chunks")
        json.integer(stats.chunks)
        json.endObject()
        json.key("compaction")
        json.beginObject()
        json.key("level")
        json.integer(compaction.level)
        json.key("sources")
        json.beginArray()
        for source in compaction.sources { json.string(source.description) }
        json.endArray()
        json.endObject()
        json.endObject()
        return Array((json.text + "\n").utf8)
    }

    /// Reads `meta.json`. The version is checked before anything else, so that a block from a
    /// newer build is reported as such rather than as malformed. Unknown members are ignored:
    /// additions that old readers may skip keep the version; anything else changes it.
    public init(json bytes: [UInt8]) throws(BlockMetaError) {
        guard bytes.count <= Self.maxJSONSize else {
            throw .malformed(offset: Self.maxJSONSize, expected: "at most \(Self.maxJSONSize) bytes")
        }
        let root = try MetaJSONParser.parse(bytes)
        guard case .object = root else { throw .invalidField("(root)", expected: "an object") }
        let version = try Self.integer(root, "version")
        guard version == Int64(Self.currentVersion) else {
            throw .unsupportedVersion(Int(clamping: version))
        }
        let stats = try Self.member(root, "stats")
        let compaction = try Self.member(root, "compaction")
        guard case .array(let sourceValues)? = compaction["sources"] else {
            throw .invalidField("compaction.sources", expected: "an array of block IDs")
        }
        var sources: [BlockID] = []
        for (index, value) in sourceValues.enumerated() {
            guard case .string(let text) = value, let source = BlockID(text) else {
                throw .invalidField("compaction.sources[\(index)]", expected: "a block ID (26 characters of Crockford base32)")
            }
            sources.append(source)
        }
        guard case .string(let idText)? = root["id"], let id = BlockID(idText) else {
            throw .invalidField("id", expected: "a block ID (26 characters of Crockford base32)")
        }
        let minTime = try Self.integer(root, "minTime")
        let maxTime = try Self.integer(root, "maxTime")
        guard minTime < maxTime else {
            throw .invalidField("maxTime", expected: "greater than minTime (\(minTime))")
        }
        let level = try Self.integer(compaction, "level", path: "compaction.level")
        guard level >= 1 else { throw .invalidField("compaction.level", expected: "at least 1") }
        self.init(
            version: Int(version), id: id, minTime: minTime, maxTime: maxTime,
            stats: BlockStats(
                series: try Self.count(stats, "series"),
                samples: try Self.count(stats, "samples"),
                chunks: try Self.count(stats, "chunks")),
            compaction: BlockCompaction(level: Int(level), sources: sources))
    }

    private static func member(_ object: MetaJSONValue, _ key: String) throws(BlockMetaError) -> MetaJSONValue {
        guard let value = object[key], case .object = value else {
            throw .invalidField(key, expected: "an object")
        }
        return value
    }

    private static func integer(
        _ object: MetaJSONValue, _ key: String, path: String? = nil
    ) throws(BlockMetaError) -> Int64 {
        guard case .integer(let value)? = object[key] else {
            throw .invalidField(path ?? key, expected: "an integer")
        }
        return value
    }

    private static func count(_ stats: MetaJSONValue, _ key: String) throws(BlockMetaError) -> Int {
        guard case .integer(let value)? = stats[key], value >= 0 else {
            throw .invalidField("stats." + key, expected: "a non-negative integer")
        }
        return Int(value)
    }
}
