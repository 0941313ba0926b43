#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads kernel messages from /dev/kmsg where no journald collects them, resuming after the
/// last sequence number of the same boot.
///
/// Position: `BOOT_ID SEQUENCE` (`BOOT_ID -` when the buffer was empty). On the same boot,
/// records up to SEQUENCE are skipped; on another boot every record in the buffer is new. A
/// first run skips what the buffer holds and starts after it.
final class KmsgLogReader: LogReader {
    let path: String
    let bootIDPath: String
    static let key = "kmsg"

    private var fd: Int32 = -1
    private var bootID = ""
    private var lastSequence: UInt64?
    /// Records up to this sequence number were read before (resume) or predate the first run.
    private var skipThrough: UInt64?
    /// Wall-clock time at monotonic zero, to date records.
    private var bootEpoch: Double = 0
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

    init(path: String, bootIDPath: String) {
        self.path = path
        self.bootIDPath = bootIDPath
    }

    var description: String { path }

    func start(from saved: [String: String]) throws {
        close()
        bootID = String((try FileReading.string(atPath: bootIDPath)).prefix { $0 != "\n" && $0 != " " })
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { throw SystemCallError(call: "open", argument: path, errno: errno) }
        var realtime = timespec()
        var monotonic = timespec()
        clock_gettime(CLOCK_REALTIME, &realtime)
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        bootEpoch = Double(realtime.tv_sec - monotonic.tv_sec) + Double(realtime.tv_nsec - monotonic.tv_nsec) / 1e9
        lastSequence = nil
        skipThrough = nil
        if let position = saved[Self.key] {
            let parts = position.split(separator: " ")
            if parts.count == 2, parts[0] == bootID {
                skipThrough = UInt64(parts[1])
                lastSequence = skipThrough
            }
        } else {
            // First run: everything now in the buffer is history.
            while let record = try nextRecord() { lastSequence = record.sequence }
            skipThrough = lastSequence
        }
    }

    /// The next record, nil when none is waiting. Records overwritten before they could be read
    /// (EPIPE) are skipped: the next read returns the oldest one left.
    private func nextRecord() throws -> KmsgRecord? {
        while true {
            let count = buffer.withUnsafeMutableBytes { readDescriptor(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                switch errno {
                case EAGAIN: return nil
                case EINTR, EPIPE: continue
                default: throw SystemCallError(call: "read", argument: path, errno: errno)
                }
            }
            if count == 0 { return nil }
            let text = buffer.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[0..<count]), as: UTF8.self) }
            return try KmsgRecord.parse(text)
        }
    }

    func read(limit: Int, into tally: inout LogTally) throws -> Int {
        guard fd >= 0 else { return 0 }
        var count = 0
        while count < limit, let record = try nextRecord() {
            if let skip = skipThrough, record.sequence <= skip { continue }
            skipThrough = nil
            lastSequence = record.sequence
            let time = bootEpoch + Double(record.monotonicMicroseconds) / 1e6
            tally.record(
                LogRecord(
                    message: record.message, priority: record.level, unit: nil, time: time,
                    origin: .kernelLog(facility: record.facility)))
            count += 1
        }
        return count
    }

    func positions() -> [String: String] {
        guard !bootID.isEmpty else { return [:] }
        return [Self.key: bootID + " " + (lastSequence.map(String.init) ?? "-")]
    }

    func waitDescriptor() -> Int32? { fd >= 0 ? fd : nil }

    func acknowledgeWakeup() {}

    func close() {
        if fd >= 0 { closeDescriptor(fd) }
        fd = -1
    }
}

private func closeDescriptor(_ fd: Int32) { close(fd) }

private func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
