/// ZigZag maps signed integers to unsigned ones so that small magnitudes of either sign get
/// short varints: 0 → 0, -1 → 1, 1 → 2, -2 → 3, … (the mapping of protobuf and Go's
/// `encoding/binary.PutVarint`).
enum ZigZag {
    @inline(__always)
    static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value >> 63))
    }

    @inline(__always)
    static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}
