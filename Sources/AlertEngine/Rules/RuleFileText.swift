import MetricStore

/// Reads a rule or rule test file whole. Read failures and non-UTF-8 text are errors of the
/// file as a whole, at 0:0.
enum RuleFileText {
    static func read(_ path: String) throws(RuleFileErrors) -> String {
        let bytes: [UInt8]
        do {
            bytes = try PosixFileSystem().read(path)
        } catch {
            throw RuleFileErrors([RuleFileError(file: path, line: 0, column: 0, "cannot read the file: \(error)")])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RuleFileErrors([RuleFileError(file: path, line: 0, column: 0, "the file is not UTF-8 text")])
        }
        return text
    }
}
