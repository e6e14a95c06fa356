/// Parsing decimal text (plain or E-notation) into an exact `Amount`.
extension Amount {
    public enum ParseResult: Equatable, Sendable {
        /// The value, and whether digits beyond 15 decimals had to be rounded away.
        case value(Amount, rounded: Bool)
        case invalid(String)
    }

    private static let powersOfTen: [Int128] = {
        var p: [Int128] = [1]
        for _ in 0..<38 { p.append(p.last! * 10) }
        return p
    }()

    /// Parses `-12.5`, `+3`, `.5`, `1.2E-5`, `4e3`. Rejects empty text, `NaN`, `Inf`, grouping
    /// separators and values whose magnitude exceeds ±10²².
    @inline(__always)
    public static func parse(_ bytes: ArraySlice<UInt8>) -> ParseResult {
        bytes.withUnsafeBufferPointer { parse(UnsafeRawBufferPointer($0)) }
    }

    public static func parse(_ text: String) -> ParseResult {
        parse(Array(text.utf8)[...])
    }

    public static func parse(_ buf: UnsafeRawBufferPointer) -> ParseResult {
        if let plain = parsePlain(buf) { return .value(plain, rounded: false) }
        return parseGeneral(buf)
    }

    /// Every accepted form (signs, any number of digits, exponents), with rounding to 15 places.
    static func parseGeneral(_ buf: UnsafeRawBufferPointer) -> ParseResult {
        var i = 0
        let n = buf.count
        if n == 0 { return .invalid("empty number") }
        var negative = false
        if buf[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if buf[0] == UInt8(ascii: "+") { i = 1 }
        var mantissa: UInt64 = 0
        var bigMantissa: Int128 = 0
        var usingBig = false
        var digits = 0
        var significant = 0
        var fracDigits = 0
        var droppedNonZero = false
        var droppedDigits = 0
        var sawPoint = false
        while i < n {
            let c = buf[i]
            if c >= 48 && c <= 57 {
                digits += 1
                if significant == 0 && c == 48 {
                    if sawPoint { fracDigits += 1 }
                } else if significant < 36 {
                    significant += 1
                    if !usingBig && significant > 18 { usingBig = true; bigMantissa = Int128(mantissa) }
                    if usingBig { bigMantissa = bigMantissa * 10 + Int128(c - 48) } else { mantissa = mantissa &* 10 &+ UInt64(c - 48) }
                    if sawPoint { fracDigits += 1 }
                } else {
                    // Beyond 36 significant digits: keep the magnitude, note the loss.
                    if c != 48 { droppedNonZero = true }
                    if !sawPoint { droppedDigits += 1 }
                }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        if digits == 0 { return .invalid("not a number") }
        var exponent = 0
        if i < n {
            let c = buf[i]
            guard c == UInt8(ascii: "e") || c == UInt8(ascii: "E") else { return .invalid("unexpected character in number") }
            i += 1
            var expNegative = false
            if i < n && (buf[i] == UInt8(ascii: "-") || buf[i] == UInt8(ascii: "+")) { expNegative = buf[i] == UInt8(ascii: "-"); i += 1 }
            var expDigits = 0
            while i < n, buf[i] >= 48, buf[i] <= 57 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(buf[i] - 48) }
                expDigits += 1
                i += 1
            }
            if expDigits == 0 || i != n { return .invalid("malformed exponent") }
            if expNegative { exponent = -exponent }
        }
        let m: Int128 = usingBig ? bigMantissa : Int128(mantissa)
        // value = m · 10^(exponent + droppedDigits − fracDigits); we want value · 10^15.
        let shift = exponent + droppedDigits - fracDigits + scale
        var units: Int128
        var rounded = droppedNonZero
        if m == 0 {
            units = 0
        } else if shift >= 0 {
            // Bound: |value| ≤ 10^22 keeps every sum of realistic sizes far from Int128 limits.
            let magnitudeDigits = significant + shift
            if magnitudeDigits > 37 { return .invalid("number out of range") }
            units = m * powersOfTen[shift]
            if units > powersOfTen[37] { return .invalid("number out of range") }
        } else {
            let down = -shift
            if down > 38 {
                units = 0
                rounded = true
            } else {
                let d = powersOfTen[down]
                let q = m / d
                let r = m % d
                if r != 0 { rounded = true }
                units = roundHalfEven(quotient: q, remainder: r, divisor: d)
            }
        }
        return .value(Amount(units: negative ? -units : units), rounded: rounded)
    }

    private static let powersOfTen64: [UInt64] = (0...15).map { p in (0..<p).reduce(UInt64(1)) { r, _ in r * 10 } }

    /// The common case of a billing export, exactly: `[-+]digits[.digits]` with at most 19
    /// digits, at most 15 of them after the point. Nil for anything else (which `parse` reads
    /// the general way, with the same result for these forms).
    @inline(__always)
    static func parsePlain(_ buf: UnsafeRawBufferPointer) -> Amount? {
        let n = buf.count
        guard n > 0 && n <= 21 else { return nil }
        var i = 0
        var negative = false
        if buf[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if buf[0] == UInt8(ascii: "+") { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var point = -1
        while i < n {
            let d = buf[i] &- 48
            if d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                digits += 1
            } else if buf[i] == UInt8(ascii: ".") && point < 0 {
                point = digits
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 && digits <= 19 else { return nil }
        let fraction = point < 0 ? 0 : digits - point
        guard fraction <= scale else { return nil }
        let (high, low) = mantissa.multipliedFullWidth(by: powersOfTen64[scale - fraction])
        let units = Int128(UInt128(high) << 64 | UInt128(low))
        return Amount(units: negative ? -units : units)
    }
}
