/// Choices drawn from a fuzzer's input, byte by byte, so that a mutation of one byte changes
/// one choice and the rest of the input keeps its meaning. An exhausted input answers 0, the
/// first (and simplest) option.
struct FuzzBytes {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isExhausted: Bool { index >= bytes.count }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    /// A number in 0..<count.
    mutating func choose(_ count: Int) -> Int {
        Int(byte()) % count
    }

    mutating func pick<Element>(_ options: [Element]) -> Element {
        options[choose(options.count)]
    }

    /// A short string of the input's bytes, up to a zero byte: for names and values that
    /// are not in a list.
    mutating func text(maxLength: Int) -> String {
        var collected: [UInt8] = []
        while collected.count < maxLength, !isExhausted {
            let next = byte()
            if next == 0 { break }
            collected.append(next)
        }
        return String(decoding: collected, as: UTF8.self)
    }
}
