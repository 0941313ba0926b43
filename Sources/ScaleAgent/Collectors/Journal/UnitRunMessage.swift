/// The service manager's catalogued messages about a unit's runs, told apart by their
/// `MESSAGE_ID=` (systemd's sd-messages.h) rather than their text, which is translated and
/// worded differently across versions:
///
///     7d4958e842da4a758f6c1cdc7b36dcc5  SD_MESSAGE_UNIT_STARTING        "Starting foo.service..."
///     7ad2d189f7e94e70a38c781354912448  SD_MESSAGE_UNIT_SUCCESS         "foo.service: Deactivated successfully." (systemd 248+)
///     d9b373ed55a64feb8242e02dbe79a49c  SD_MESSAGE_UNIT_FAILURE_RESULT  "foo.service: Failed with result 'exit-code'." with UNIT_RESULT=
///
/// The unit is the entry's `UNIT=` field (PID 1; a user manager's `USER_UNIT=` is not read).
enum UnitRunMessage: Equatable, Sendable {
    case starting(unit: String)
    case succeeded(unit: String)
    case failed(unit: String, result: String)

    static let startingID = "7d4958e842da4a758f6c1cdc7b36dcc5"
    static let successID = "7ad2d189f7e94e70a38c781354912448"
    static let failureResultID = "d9b373ed55a64feb8242e02dbe79a49c"

    /// `field` reads another field of the same entry; asked only for the three IDs.
    static func parse(messageID: String, field: (String) -> String?) -> UnitRunMessage? {
        let kind: Int
        switch messageID {
        case startingID: kind = 0
        case successID: kind = 1
        case failureResultID: kind = 2
        default: return nil
        }
        guard let unit = field("UNIT"), UnitMessage.isUnitName(unit[...]) else { return nil }
        switch kind {
        case 0: return .starting(unit: unit)
        case 1: return .succeeded(unit: unit)
        default:
            let result = field("UNIT_RESULT").flatMap { $0.isEmpty || $0.utf8.count > 64 ? nil : $0 } ?? "unknown"
            return .failed(unit: unit, result: result)
        }
    }
}
