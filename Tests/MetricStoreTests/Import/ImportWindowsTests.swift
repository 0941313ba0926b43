import Testing

@testable import MetricStore

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

@Suite struct ImportWindowsTests {
    private static let text = Array("a 1 1\nbb 22 2\n\nccc 333 3\nd 4 4\n# EOF".utf8)

    /// Every window, checked for the shape the parser relies on.
    private func windows(_ source: OpenMetricsWindows) throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        while let window = try source.next() {
            let bytes = Array(window.bytes[window.range])
            if !window.isLast { #expect(bytes.last == 0x0A, "only the last window may end inside a line") }
            result.append(bytes)
            if window.isLast { #expect(try source.next() == nil) }
        }
        return result
    }

    private func writeFile(_ bytes: [UInt8], in directory: TestDirectory) throws -> String {
        let path = directory.path + "/in.om"
        let file = try directory.fileSystem.create(path)
        try file.write(bytes)
        try file.close()
        return path
    }

    @Test(arguments: [1, 2, 5, 6, 7, 13, 64, 1 << 20])
    func bytesInMemoryAreCutAfterNewlines(_ windowBytes: Int) throws {
        let windows = try windows(OpenMetricsWindows(bytes: Self.text, windowBytes: windowBytes))
        #expect(Array(windows.joined()) == Self.text)
        #expect(windows.allSatisfy { !$0.isEmpty })
        if windowBytes >= Self.text.count { #expect(windows.count == 1) }
    }

    @Test(arguments: [1, 2, 5, 6, 7, 13, 64, 1 << 20])
    func aFileIsReadInWindowsOfWholeLines(_ windowBytes: Int) throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let path = try writeFile(Self.text, in: directory)
        let windows = try windows(OpenMetricsWindows(path: path, windowBytes: windowBytes))
        #expect(Array(windows.joined()) == Self.text)
        // Lines longer than the window grow the buffer rather than being cut.
        for window in windows.dropLast() { #expect(window.filter { $0 == 0x0A }.count >= 1) }
    }

    @Test func aFileThatFillsTheBufferExactlyEndsWithAnEmptyWindow() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let text = Array("a 1 1\n# EOF\n".utf8)
        let path = try writeFile(text, in: directory)
        // 12 bytes in windows of 6: the buffer fills exactly twice, then the end comes empty.
        let windows = try windows(OpenMetricsWindows(path: path, windowBytes: 6))
        #expect(windows.map { String(decoding: $0, as: UTF8.self) } == ["a 1 1\n", "# EOF\n", ""])
    }

    @Test func emptyInputIsOneEmptyLastWindow() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        #expect(try windows(OpenMetricsWindows(bytes: [], windowBytes: 8)) == [[]])
        #expect(try windows(OpenMetricsWindows(path: try writeFile([], in: directory), windowBytes: 8)) == [[]])
    }

    @Test func aMissingFileIsAnError() {
        #expect {
            _ = try OpenMetricsWindows(path: "/nonexistent/in.om")
        } throws: { error in
            (error as? FileSystemError)?.errno == ENOENT
        }
    }
}
