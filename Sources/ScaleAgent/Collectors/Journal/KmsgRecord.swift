/// One record read from /dev/kmsg (Documentation/ABI/testing/dev-kmsg):
///
///     6,1234,5678901,-;Out of memory: Killed process 4711 (postgres) …
///      SUBSYSTEM=…                        (optional continuation lines, each starting with a space)
///
/// `PRIORITY,SEQUENCE,TIMESTAMP,FLAGS[,…];MESSAGE`: priority is facility × 8 + level, the
/// sequence number grows by one per record (a gap means records were overwritten before they
/// were read), the timestamp is microseconds of CLOCK_MONOTONIC.
struct KmsgRecord: Equatable, Sendable {
    var facility: Int
    var level: Int
    var sequence: UInt64
    var monotonicMicroseconds: UInt64
    var message: String

    struct Malformed: Error, Equatable, CustomStringConvertible {
        let record: String
        var description: String { "malformed /dev/kmsg record '\(record)'" }
    }

    static func parse(_ text: String) throws(Malformed) -> KmsgRecord {
        let line = text[...]
        guard let semicolon = line.utf8.firstIndex(of: UInt8(ascii: ";")) else { throw Malformed(record: text) }
        let fields = line[..<semicolon].splitASCII(UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard fields.count >= 4, let priority = Int(fields[0]), priority >= 0, let sequence = UInt64(fields[1]),
            let timestamp = UInt64(fields[2])
        else { throw Malformed(record: text) }
        var message = line[line.utf8.index(after: semicolon)...]
        if let newline = message.utf8.firstIndex(of: UInt8(ascii: "\n")) { message = message[..<newline] }
        return KmsgRecord(
            facility: priority >> 3, level: priority & 7, sequence: sequence, monotonicMicroseconds: timestamp,
            message: String(message))
    }
}
