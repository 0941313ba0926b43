/// A finite double as decimal digits `0.d1d2…dn × 10^pointPosition`, the shortest that
/// reads back as the same double. Zero has no digits.
struct ShortestDecimal {
    let negative: Bool
    /// ASCII digits: bytes, not Characters, since `/metrics` formats every value it serves.
    let digits: [UInt8]
    let pointPosition: Int

    init(_ value: Double) {
        var text = Array(value.description.utf8)[...]
        negative = text.first == UInt8(ascii: "-")
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(of: UInt8(ascii: "e")) {
            exponent = Int(String(decoding: text[text.index(after: e)...], as: UTF8.self)) ?? 0
            text = text[..<e]
        }
        let point = text.firstIndex(of: UInt8(ascii: ".")) ?? text.endIndex
        let integerPart = text[..<point]
        let fractionPart = point < text.endIndex ? text[text.index(after: point)...] : []
        var all = Array(integerPart) + Array(fractionPart)
        var position = integerPart.count + exponent
        let leadingZeros = all.prefix { $0 == UInt8(ascii: "0") }.count
        all.removeFirst(leadingZeros)
        position -= leadingZeros
        while all.last == UInt8(ascii: "0") { all.removeLast() }
        digits = all
        pointPosition = all.isEmpty ? 0 : position
    }

    /// `-d.ddde±dd` with `precision` digits after the point.
    func exponentForm(precision: Int, uppercase: Bool) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(precision + 8)
        if negative { text.append(UInt8(ascii: "-")) }
        text.append(digits.first ?? UInt8(ascii: "0"))
        if precision > 0 {
            text.append(UInt8(ascii: "."))
            for index in 1...precision { text.append(index < digits.count ? digits[index] : UInt8(ascii: "0")) }
        }
        let exponent = digits.isEmpty ? 0 : pointPosition - 1
        text.append(uppercase ? UInt8(ascii: "E") : UInt8(ascii: "e"))
        text.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = Array(String(abs(exponent)).utf8)
        if magnitude.count < 2 { text.append(UInt8(ascii: "0")) }
        text += magnitude
        return String(decoding: text, as: UTF8.self)
    }

    /// `-ddd.ddd` with `precision` digits after the point.
    func fixedForm(precision: Int) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(max(pointPosition, 1) + precision + 2)
        if negative { text.append(UInt8(ascii: "-")) }
        if pointPosition > 0 {
            for index in 0..<pointPosition { text.append(index < digits.count ? digits[index] : UInt8(ascii: "0")) }
        } else {
            text.append(UInt8(ascii: "0"))
        }
        if precision > 0 {
            text.append(UInt8(ascii: "."))
            for index in 0..<precision {
                let digit = pointPosition + index
                text.append(digit >= 0 && digit < digits.count ? digits[digit] : UInt8(ascii: "0"))
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
