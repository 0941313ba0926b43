import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGTERM, SIGHUP or SIGINT (an SSH session dropping, a `kill`): the next wait for a
/// key returns `.quit`, so the terminal is restored rather than left raw. A signal handler may
/// only touch lock-free state, hence a global atomic.
private let terminationRequested = Atomic<Bool>(false)

/// The terminal in full-screen mode for `scalewatch top`: the alternate screen (what was on the
/// terminal comes back afterwards), no cursor, no echo, keys read one at a time with Ctrl-C
/// arriving as a key (ISIG off) so that quitting always goes through `leave()`, which restores
/// the settings found on entry.
public final class RawTerminal {
    private let input: Int32
    private let output: Int32
    private var saved: termios

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// What a wait for input ended with.
    public enum Event: Equatable {
        case quit
        case key(UInt8)
        /// The wait's time ran out, or a signal (SIGWINCH) cut it short.
        case none
    }

    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) throws(Unavailable) {
        guard isatty(input) == 1, isatty(output) == 1 else {
            throw Unavailable(description: "top needs a terminal on standard input and output")
        }
        var settings = termios()
        guard tcgetattr(input, &settings) == 0 else { throw Unavailable(description: "cannot read the terminal's settings: errno \(errno)") }
        self.input = input
        self.output = output
        self.saved = settings
        var raw = settings
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        guard tcsetattr(input, TCSAFLUSH, &raw) == 0 else { throw Unavailable(description: "cannot set the terminal to raw mode: errno \(errno)") }
        // A no-op handler, not SIG_IGN: the signal must interrupt poll() so a resize redraws at once.
        signal(SIGWINCH) { _ in }
        for quitting in Self.quittingSignals {
            signal(quitting) { _ in terminationRequested.store(true, ordering: .relaxed) }
        }
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
    }

    /// Back to the screen and settings found on entry.
    public func leave() {
        write("\u{1B}[?25h\u{1B}[?1049l")
        _ = tcsetattr(input, TCSAFLUSH, &saved)
        signal(SIGWINCH, SIG_DFL)
        for quitting in Self.quittingSignals { signal(quitting, SIG_DFL) }
    }

    private static let quittingSignals = [SIGTERM, SIGHUP, SIGINT]

    /// Draws `lines` from the top-left corner, each clearing the rest of its row.
    public func draw(_ lines: [String]) {
        write("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
    }

    /// Waits up to `milliseconds` for a key: `q`, `Q`, Ctrl-C and Ctrl-D quit, and so do
    /// SIGTERM, SIGHUP and SIGINT (they cut the wait short).
    public func waitForKey(milliseconds: Int) -> Event {
        if terminationRequested.load(ordering: .relaxed) { return .quit }
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(0, milliseconds)))
        if terminationRequested.load(ordering: .relaxed) { return .quit }
        guard ready > 0 else { return .none }
        if descriptor.revents & Int16(POLLHUP | POLLERR) != 0 { return .quit }
        var byte: UInt8 = 0
        guard read(input, &byte, 1) == 1 else { return .quit }
        switch byte {
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3, 4: return .quit
        default: return .key(byte)
        }
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(output, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
