import Foundation

/// The words and numbers of the stories: sizes in binary units, shares as percentages, times
/// of day in UTC (with the date when the window spans more than a day), spans in the largest
/// unit that reads naturally.
enum AdviseWording {
    /// `1.9 GiB`, `120 MiB`, `512 B`.
    static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var scaled = value
        var unit = 0
        while abs(scaled) >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        guard scaled.isFinite else { return "\(scaled) B" }
        if unit == 0 || abs(scaled) >= 100 { return "\(whole(scaled)) \(units[unit])" }
        return String(format: "%.1f %@", scaled, units[unit])
    }

    /// `97%` from 0.97.
    static func percent(_ ratio: Double) -> String {
        ratio.isFinite ? "\(whole(ratio * 100))%" : "\(ratio)"
    }

    /// `97`, `3.5`: whole numbers without a fraction.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : String(format: "%.1f", value)
    }

    /// `14:02` in UTC, or `Dec 6 14:02` when `withDate`.
    static func clock(_ milliseconds: Int64, withDate: Bool) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let time = String(format: "%02d:%02d", parts.tm_hour, parts.tm_min)
        guard withDate else { return time }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(months[Int(parts.tm_mon)]) \(parts.tm_mday) \(time)"
    }

    /// `45 seconds`, `20 minutes`, `3 hours`, `9 days`, rounded to the unit.
    static func span(seconds: Double) -> String {
        func unit(_ count: Double, _ name: String) -> String {
            let rounded = max(1, whole(count))
            return "\(rounded) \(name)\(rounded == 1 ? "" : "s")"
        }
        if seconds < 90 { return unit(seconds, "second") }
        if seconds < 90 * 60 { return unit(seconds / 60, "minute") }
        if seconds < 36 * 3600 { return unit(seconds / 3600, "hour") }
        return unit(seconds / 86400, "day")
    }

    /// Rounded to a whole number, clamped so that an absurd value from a store or an agent reads
    /// as a large number instead of trapping the conversion.
    static func whole(_ value: Double) -> Int {
        guard value.isFinite else { return value > 0 ? Int.max : value < 0 ? Int.min : 0 }
        return Int(max(-9e15, min(9e15, value.rounded())))
    }

    /// A forecast's "in about 9 days"; "now" when it is already there.
    static func eta(seconds: Double) -> String {
        seconds <= 0 ? "now" : "in about \(span(seconds: seconds))"
    }
}
