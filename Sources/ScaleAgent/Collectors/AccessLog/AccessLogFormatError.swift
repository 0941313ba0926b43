/// A format that cannot be compiled: where in the pattern (1-based character position, 0 for
/// the pattern as a whole) and what was expected there. The config loader reports it with the
/// file, line and column of the `format` key.
struct AccessLogFormatError: Error, Equatable, CustomStringConvertible {
    let position: Int
    let message: String

    init(position: Int, _ message: String) {
        self.position = position
        self.message = message
    }

    var description: String { position > 0 ? "at character \(position): \(message)" : message }
}
