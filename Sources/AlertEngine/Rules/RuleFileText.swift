import MetricStore

/// Reads a rule or rule test file whole. Read failures and non-UTF-8 text are errors of the
/// file as a whole, at 0:0.
enum RuleFileText {
    /// Far beyond any real rule file; what a file named by mistake (`/dev/zero`, a log) may cost,
    /// instead of memory growing until the process dies.
    static let maximumBytes = 16 << 20

    static func read(_ path: String) throws(RuleFileErrors) -> String {
        let bytes: [UInt8]
        do {
            bytes = try PosixFileSystem().read(path, offset: 0, length: maximumBytes + 1)
        } catch {
            throw RuleFileErrors([RuleFileError(file: path, line: 0, column: 0, "cannot read the file: \(error)")])
        }
        guard bytes.count <= maximumBytes else {
            throw RuleFileErrors([RuleFileError(file: path, line: 0, column: 0, "the file is larger than \(maximumBytes >> 20) MiB")])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RuleFileErrors([RuleFileError(file: path, line: 0, column: 0, "the file is not UTF-8 text")])
        }
        return text
    }
}
