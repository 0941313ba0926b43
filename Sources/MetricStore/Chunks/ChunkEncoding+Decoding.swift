extension ChunkEncoding {
    /// Decodes a persisted chunk of this encoding and appends its samples, for readers that
    /// find the encoding byte beside the bytes (block index, chunk files). An unknown encoding
    /// is a data error: this build cannot read it, and guessing would return garbage.
    public func decode(_ bytes: ArraySlice<UInt8>, appendingTo samples: inout [Sample]) throws(DecodeError) {
        switch self {
        case .compact:
            try CompactChunkCodec.decode(bytes, appendingTo: &samples)
        case .xor:
            let chunk = try XORChunk(validating: Array(bytes))
            var iterator = chunk.iterator()
            while let sample = iterator.next() { samples.append(sample) }
            try iterator.check()
        case .unknown(let raw):
            throw DecodeError(offset: 0, expected: "chunk encoding 1 (xor) or 2 (compact)", found: "\(raw)")
        }
    }
}
