/// Sizes as Prometheus' `--storage.tsdb.retention.size` writes them: an integer and a unit,
/// B, KB, MB, GB, TB (powers of 1024, as Prometheus reads them) or KiB, MiB, GiB, TiB.
enum ByteSizeText {
    private static let units: [(suffix: String, bytes: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
        ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("TB", 1 << 40), ("B", 1),
    ]

    static func parse(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int(digits) else { return nil }
        let unit = text.dropFirst(digits.count)
        guard let (_, size) = units.first(where: { $0.suffix == unit }) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: size)
        return overflow ? nil : bytes
    }
}
