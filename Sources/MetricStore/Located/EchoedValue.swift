/// A value from outside (a config value, a path, a label value) as an error message or a log
/// line repeats it: whole when short, otherwise its start and how much was left out. A 10 MB
/// `data_dir` must not become a 20 MB log line; the start is enough to recognise the value.
public struct EchoedValue: CustomStringConvertible, Sendable {
    /// Unicode scalars kept: a long path fits whole.
    public static let maxScalars = 256

    public let description: String

    public init(_ value: some StringProtocol) {
        let scalars = value.unicodeScalars
        // Counting stops at the bound: a long value is not walked to its end twice.
        guard let cut = scalars.index(scalars.startIndex, offsetBy: Self.maxScalars, limitedBy: scalars.endIndex),
            cut != scalars.endIndex
        else {
            description = String(value)
            return
        }
        let omitted = value.utf8.count - value[..<cut].utf8.count
        description = String(value[..<cut]) + "…(\(omitted) more bytes)"
    }
}
