/// A finite double as decimal digits `0.d1d2…dn × 10^pointPosition`, the shortest that
/// reads back as the same double. Zero has no digits.
struct ShortestDecimal {
    let negative: Bool
    let digits: [Character]
    let pointPosition: Int

    init(_ value: Double) {
        var text = Substring(value.description)
        negative = text.first == "-"
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(of: "e") {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let integerPart = text.prefix { $0 != "." }
        let fractionPart = text.drop { $0 != "." }.dropFirst()
        var all = Array(integerPart) + Array(fractionPart)
        var point = integerPart.count + exponent
        while all.first == "0" {
            all.removeFirst()
            point -= 1
        }
        while all.last == "0" { all.removeLast() }
        digits = all
        pointPosition = all.isEmpty ? 0 : point
    }

    /// `-d.ddde±dd` with `precision` digits after the point.
    func exponentForm(precision: Int, uppercase: Bool) -> String {
        var text = negative ? "-" : ""
        text.append(digits.first ?? "0")
        if precision > 0 {
            text += "."
            for index in 1...precision { text.append(index < digits.count ? digits[index] : "0") }
        }
        let exponent = digits.isEmpty ? 0 : pointPosition - 1
        text += uppercase ? "E" : "e"
        text += exponent < 0 ? "-" : "+"
        let magnitude = String(abs(exponent))
        return text + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// `-ddd.ddd` with `precision` digits after the point.
    func fixedForm(precision: Int) -> String {
        var text = negative ? "-" : ""
        if pointPosition > 0 {
            for index in 0..<pointPosition { text.append(index < digits.count ? digits[index] : "0") }
        } else {
            text += "0"
        }
        if precision > 0 {
            text += "."
            for index in 0..<precision {
                let digit = pointPosition + index
                text.append(digit >= 0 && digit < digits.count ? digits[digit] : "0")
            }
        }
        return text
    }
}
