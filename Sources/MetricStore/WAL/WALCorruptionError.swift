/// Damage found in a WAL segment: where (directory, segment file, byte offset of the record
/// that failed) and what. Replay keeps every record before it and reports it; what happens to
/// the damaged rest is the caller's decision (`WAL.repair`).
public struct WALCorruptionError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable, CustomStringConvertible {
        /// The stored CRC-32C does not match the record.
        case checksumMismatch(stored: UInt32, computed: UInt32)
        /// A length no writer produces (over `WALRecordFrame.maxPayloadLength`).
        case impossibleLength(Int)
        /// A type byte of 0 followed by non-zero bytes: not a record, not a zero-filled tail.
        case invalidType(UInt8)
        /// The segment ends inside a record, and it is not the last segment, where that would
        /// be an ordinary torn tail.
        case truncatedRecord
        /// The checksum matched but the payload does not parse.
        case malformedPayload(DecodeError)
        /// A segment number is missing from the sequence; the offset is 0.
        case missingSegment

        public var description: String {
            switch self {
            case .checksumMismatch(let stored, let computed):
                "CRC-32C mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)))"
            case .impossibleLength(let length): "impossible record length \(length)"
            case .invalidType(let type): "invalid record type \(type)"
            case .truncatedRecord: "record cut short before the end of a segment that is not the last"
            case .malformedPayload(let error): "malformed payload: \(error)"
            case .missingSegment: "segment file missing"
            }
        }
    }

    /// The directory holding the segment: the WAL directory, or a checkpoint directory in it.
    public let directory: String
    /// The segment's file name, e.g. `00000003`.
    public let segment: String
    /// Byte offset in the segment of the first record not kept.
    public let offset: Int
    public let reason: Reason

    public init(directory: String, segment: String, offset: Int, reason: Reason) {
        self.directory = directory
        self.segment = segment
        self.offset = offset
        self.reason = reason
    }

    public var path: String { directory + "/" + segment }

    public var description: String {
        "WAL corruption in \(directory), segment \(segment) at byte \(offset): \(reason)"
    }
}
