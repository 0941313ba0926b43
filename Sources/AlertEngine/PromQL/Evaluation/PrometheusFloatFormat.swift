/// Numbers as Prometheus prints them into labels (count_values) and messages: Go's
/// `strconv.FormatFloat(v, 'f', -1, 64)`, the shortest digits that read back exactly, never
/// in exponent notation.
enum PrometheusFloatFormat {
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // Swift's description already has the shortest round-trip digits; only the layout
        // differs ("1e-07", "1.5e+20", "3.0").
        var text = value.description
        var sign = ""
        if text.hasPrefix("-") {
            sign = "-"
            text.removeFirst()
        }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        let pointIndex = text.firstIndex(of: ".") ?? text.endIndex
        var digits = Array(text[..<pointIndex]) + Array(text[pointIndex...].dropFirst())
        var pointPosition = text.distance(from: text.startIndex, to: pointIndex) + exponent
        while digits.count > 1 && digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.count > 1 && digits.last == "0" && digits.count > max(pointPosition, 1) { digits.removeLast() }
        if digits == ["0"] { return sign + "0" }
        let digitText = String(digits)
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digitText
        }
        if pointPosition >= digits.count {
            return sign + digitText + String(repeating: "0", count: pointPosition - digits.count)
        }
        let split = digitText.index(digitText.startIndex, offsetBy: pointPosition)
        return sign + digitText[..<split] + "." + digitText[split...]
    }
}
