/// Several files in one fuzzer input, for the targets that read a directory (WAL segments, a
/// block's meta.json, index and chunk segments).
///
/// Format: a sequence of files, each
///
///     │ length <2 bytes, little-endian> │ contents <length bytes> │
///
/// A length past the input's end takes what is left; input after the last file is ignored.
/// Two bytes keep a length cheap to mutate and files under 64 KiB, which is plenty: the
/// readers' paths are the same for small files, and small inputs run fast.
enum FuzzFiles {
    static func split(_ bytes: [UInt8], maxFiles: Int) -> [[UInt8]] {
        var files: [[UInt8]] = []
        var position = 0
        while files.count < maxFiles, position + 2 <= bytes.count {
            let length = Int(bytes[position]) | Int(bytes[position + 1]) << 8
            let start = position + 2
            let end = min(start + length, bytes.count)
            files.append(Array(bytes[start..<end]))
            position = end
        }
        return files
    }

    static func join(_ files: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for file in files {
            precondition(file.count <= Int(UInt16.max), "a seed file over 64 KiB")
            bytes += [UInt8(file.count & 0xFF), UInt8(file.count >> 8)] + file
        }
        return bytes
    }
}
