#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One-value sysfs attribute files (`42\n`), shared by the hardware collectors.
enum SysfsValue {
    /// A decimal integer, possibly negative (temperatures below zero).
    static func integer(_ text: String, file: String) throws(ParseError) -> Int64 {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard fields.count == 1, let value = Int64(fields[0]) else {
            throw ParseError(file: file, line: 1, "expected an integer, found '\(text.prefix(40))'")
        }
        return value
    }

    /// The file's text without its trailing newline, or nil where the kernel gives none:
    /// absent, or unreadable to this user (serial numbers, cpuinfo_cur_freq are root's), or a
    /// driver's "not supported".
    static func optionalText(_ path: String) throws(FileReadError) -> String? {
        do {
            let text = try FileReading.string(atPath: path)
            return String(text.droppingTrailingNewlinesAndSpaces())
        } catch {
            if error.isNotFound || [EACCES, EPERM, EINVAL, EOPNOTSUPP, ENODATA, ENODEV, EIO].contains(error.errno) { return nil }
            throw error
        }
    }

    /// Entries of a directory whose names are `prefix` followed by digits, by number.
    static func numberedEntries(_ directory: String, prefix: String) throws(FileReadError) -> [(name: String, number: String)] {
        guard let entries = try FileReading.directoryEntries(atPath: directory) else { return [] }
        return entries.compactMap { entry -> (name: String, number: String)? in
            guard entry.hasPrefix(prefix) else { return nil }
            let number = entry.dropFirst(prefix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return (entry, String(number))
        }.sorted { Int($0.number) ?? 0 < Int($1.number) ?? 0 }
    }
}
