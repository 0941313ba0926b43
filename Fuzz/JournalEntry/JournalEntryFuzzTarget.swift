@testable import ScaleAgent

/// What the journal collector reads from the kernel log and journald: a `/dev/kmsg` record,
/// and a message as each classifier sees it (the kernel's OOM report, systemd-oomd's kill,
/// systemd's unit failure and restart lines). The second line of the input, if any, is the
/// entry's `UNIT=` field.
struct JournalEntryFuzzTarget: FuzzTarget {
    let name = "JournalEntry"

    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? KmsgRecord.parse(text)
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let message = String(lines[0])
        let unit = lines.count > 1 ? String(lines[1]) : nil
        _ = KernelOOMMessage.parse(message)
        _ = OomdKillMessage.parse(message)
        _ = UnitMessage.parse(message) { unit }
    }
}
