// The framing every netlink message shares (linux/netlink.h), in host byte order:
//
//   offset  size  field (nlmsghdr)
//        0     4  length of the whole message, header included
//        4     2  type: the request's own, NLMSG_ERROR (2) or NLMSG_DONE (3)
//        6     2  flags: a dump request sends NLM_F_REQUEST | NLM_F_DUMP (0x301)
//        8     4  sequence number, echoed in every reply
//       12     4  port id: 0, the kernel fills it in
//       16     …  payload; the next message starts at the length rounded up to 4
//
// A reply is a stream of datagrams, each holding whole messages. NLMSG_DONE ends a dump;
// NLMSG_ERROR carries an i32 negative errno, then the request's header. A message's length is
// at least its header and no more than what is left of the datagram; anything else is
// malformed, and the whole dump is refused so that a misread never turns into wrong metrics.

/// Builds netlink request headers and walks the messages of reply datagrams; pure, no I/O.
enum NetlinkFraming {
    static let headerSize = 16
    static let error: UInt16 = 2
    static let done: UInt16 = 3
    static let dumpRequestFlags: UInt16 = 0x301

    /// A dump request of `type`: the header, then `payload`.
    static func dumpRequest(type: UInt16, sequence: UInt32, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerSize + payload.count)
        append(UInt32(headerSize + payload.count), to: &bytes)
        append(type, to: &bytes)
        append(dumpRequestFlags, to: &bytes)
        append(sequence, to: &bytes)
        append(UInt32(0), to: &bytes)
        return bytes + payload
    }

    /// Hands each message of `sequence` in one reply datagram to `body` (its type, its payload,
    /// and the payload's offset in the datagram, for error messages); messages of another
    /// sequence number are not ours and are skipped. Returns true when NLMSG_DONE ends the
    /// dump; an NLMSG_ERROR is thrown as `NetlinkError.refused`.
    static func forEachMessage(
        in datagram: UnsafeRawBufferPointer, sequence: UInt32,
        _ body: (_ type: UInt16, _ payload: UnsafeRawBufferPointer, _ start: Int) throws(NetlinkError) -> Void
    ) throws(NetlinkError) -> Bool {
        var offset = 0
        while datagram.count - offset >= headerSize {
            let length = Int(load(UInt32.self, datagram, offset))
            let type = load(UInt16.self, datagram, offset + 4)
            guard length >= headerSize, length <= datagram.count - offset else {
                throw .malformed("message at byte \(offset) claims \(length) bytes; \(datagram.count - offset) remain")
            }
            let payload = UnsafeRawBufferPointer(rebasing: datagram[(offset + headerSize)..<(offset + length)])
            if load(UInt32.self, datagram, offset + 8) == sequence {
                switch type {
                case done:
                    return true
                case error:
                    guard payload.count >= 4 else { throw .malformed("error message at byte \(offset) has no error code") }
                    throw .refused(errno: -load(Int32.self, payload, 0))
                default:
                    try body(type, payload, offset + headerSize)
                }
            }
            offset += (length + 3) & ~3
        }
        // Past the end is the last message's padding; short of it, a fragment no header fits.
        guard offset >= datagram.count else {
            throw .malformed("\(datagram.count - offset) bytes after the last message are not a message")
        }
        return false
    }

    /// Hands each attribute (`u16 length` with its header, `u16 type`, payload, padded to 4)
    /// from `offset` to the end of `message` to `body`.
    static func forEachAttribute(
        in message: UnsafeRawBufferPointer, from offset: Int, start: Int,
        _ body: (_ type: UInt16, _ value: UnsafeRawBufferPointer) throws(NetlinkError) -> Void
    ) throws(NetlinkError) {
        var offset = offset
        while message.count - offset >= 4 {
            let length = Int(load(UInt16.self, message, offset))
            let type = load(UInt16.self, message, offset + 2)
            guard length >= 4, length <= message.count - offset else {
                throw .malformed("attribute at byte \(start + offset) claims \(length) bytes; \(message.count - offset) remain")
            }
            try body(type, UnsafeRawBufferPointer(rebasing: message[(offset + 4)..<(offset + length)]))
            offset += (length + 3) & ~3
        }
    }

    static func load<T: FixedWidthInteger>(_: T.Type, _ buffer: UnsafeRawBufferPointer, _ offset: Int) -> T {
        buffer.loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value) { bytes += $0 }
    }
}
