/// Decimal number text converted without `strtod` when the result is certain to be exact:
/// Clinger's fast path. A decimal mantissa below 2^53 and a power of ten up to 10^22 are both
/// exact doubles, so one IEEE multiplication or division of them is the correctly rounded
/// value, bit for bit what `strtod` returns. Anything else (more digits, larger exponents,
/// NaN, Inf) returns nil and goes the slow way.
enum DecimalText {
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    static func exactValue(_ text: ArraySlice<UInt8>) -> Double? {
        var index = text.startIndex
        let end = text.endIndex
        var negative = false
        if index < end, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawPoint = false
        var sawDigit = false
        while index < end {
            let byte = text[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                // 19 digits cannot overflow UInt64; the 2^53 check below decides exactness.
                guard digits < 19 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                sawDigit = true
                if mantissa != 0 || sawPoint { digits += 1 }
                if sawPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if index < end {
            guard text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") else { return nil }
            index += 1
            var exponentNegative = false
            if index < end, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponentDigits = 0
            while index < end, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") {
                guard exponentDigits < 4 else { return nil }
                exponent = exponent * 10 + Int(text[index] - UInt8(ascii: "0"))
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0, index == end else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard mantissa < (1 << 53) else { return nil }
        let scale = exponent - fractionDigits
        guard scale >= -22, scale <= 22 else { return nil }
        var value = Double(mantissa)
        if scale >= 0 { value *= powersOfTen[scale] } else { value /= powersOfTen[-scale] }
        return negative ? -value : value
    }
}
