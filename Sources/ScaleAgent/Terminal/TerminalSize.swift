#if canImport(Glibc)
import Glibc
#endif

/// A terminal's size in character cells, from the kernel (`TIOCGWINSZ`), else from the
/// environment's `COLUMNS` and `LINES` (what a shell exports), for the charts and `top`.
public struct TerminalSize: Sendable, Equatable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// The size of the terminal `descriptor` is, nil when it is none (a pipe, a file).
    public static func of(_ descriptor: Int32) -> TerminalSize? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return TerminalSize(columns: Int(size.ws_col), rows: Int(size.ws_row))
    }

    /// Standard output's size, else `COLUMNS` × `LINES`, else 80 × 24.
    public static func standardOutput(environment: [String: String]) -> TerminalSize {
        if let size = of(STDOUT_FILENO) { return size }
        let columns = environment["COLUMNS"].flatMap(Int.init).flatMap { (20...10_000).contains($0) ? $0 : nil } ?? 80
        let rows = environment["LINES"].flatMap(Int.init).flatMap { (5...10_000).contains($0) ? $0 : nil } ?? 24
        return TerminalSize(columns: columns, rows: rows)
    }

    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
}
