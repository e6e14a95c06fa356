/// An exact decimal quantity: an integer count of 10⁻¹⁵ units.
///
/// Invariant: sums of `Amount`s are exact, so totals reconcile to the exact decimal sum of the
/// input text. Input digits beyond the 15th decimal place are rounded half-to-even and the parser
/// reports that it rounded (see `Amount.parse`), so nothing is lost silently.
///
/// Arithmetic never traps: a result beyond the exact range (±1.7 × 10²³) is `outOfRange`, which
/// every later operation keeps (like NaN), so an overflowing sum can never pass for a total. Inputs
/// are bounded well inside the range (`maximumTotal`), and the pipeline refuses any that are not.
public struct Amount: Hashable, Comparable, Sendable, Codable {
    /// Fractional digits kept.
    public static let scale = 15
    /// 10^scale.
    public static let unit: Int128 = 1_000_000_000_000_000

    /// The value times 10^15.
    public var units: Int128

    public init(units: Int128) { self.units = units }
    public static let zero = Amount(units: 0)

    /// Whole currency units, e.g. `Amount(whole: 3)` is 3.000….
    public init(whole: Int) { self.units = Int128(whole) * Self.unit }

    /// Cents, e.g. `Amount(cents: 1234)` is 12.34.
    public init(cents: Int) { self.units = Int128(cents) * (Self.unit / 100) }

    /// A result outside the exact range; sticky. Its units, `Int128.min`, are no exact amount's
    /// (every other amount has a negation).
    public static let outOfRange = Amount(units: .min)
    public var isOutOfRange: Bool { units == .min }

    /// Input totals beyond 10²² in magnitude are refused (no bill in any currency comes near), so
    /// the few totals an analysis adds or subtracts stay exact.
    public static let maximumTotal = Amount(units: Int128(10_000_000) * Int128(1_000_000_000_000_000) * unit)

    @inline(__always)
    static func checked(_ r: (partialValue: Int128, overflow: Bool), _ a: Amount, _ b: Amount) -> Amount {
        r.overflow || a.isOutOfRange || b.isOutOfRange ? .outOfRange : Amount(units: r.partialValue)
    }

    // `+` and `+=` are inlined: ingest adds nine amounts per line item, and out of line each
    // add costs more in argument passing than in arithmetic.
    @inline(__always)
    public static func + (a: Amount, b: Amount) -> Amount { checked(a.units.addingReportingOverflow(b.units), a, b) }
    public static func - (a: Amount, b: Amount) -> Amount { checked(a.units.subtractingReportingOverflow(b.units), a, b) }
    public static prefix func - (a: Amount) -> Amount { a.isOutOfRange ? a : Amount(units: -a.units) }
    @inline(__always)
    public static func += (a: inout Amount, b: Amount) { a = a + b }
    public static func -= (a: inout Amount, b: Amount) { a = a - b }
    public static func < (a: Amount, b: Amount) -> Bool { a.units < b.units }

    public var isZero: Bool { units == 0 }
    public var magnitude: Amount { units < 0 ? -self : self }

    /// Nearest Double; for ratios and charts only, never for money sums. NaN when out of range.
    public var doubleValue: Double {
        if isOutOfRange { return .nan }
        let whole = units / Self.unit
        // Through Int64 where it fits (always, for the fraction): the same correctly rounded
        // value, without the generic Int128 conversion (thousands of instructions a call).
        let wholeValue = Int64(exactly: whole).map(Double.init) ?? Double(whole)
        return wholeValue + Double(Int64(units % Self.unit)) / 1e15
    }

    /// The amount rounded half away from zero to `digits` decimals, still as an `Amount`.
    public func rounded(toDecimals digits: Int) -> Amount {
        precondition(digits >= 0 && digits <= Self.scale)
        if isOutOfRange { return self }
        var step: Int128 = 1
        for _ in 0..<(Self.scale - digits) { step *= 10 }
        let q = units / step
        let r = units % step
        var result = q
        if r * 2 >= step { result += 1 } else if r * 2 <= -step { result -= 1 }
        return Self.checked(result.multipliedReportingOverflow(by: step), self, self)
    }

    /// Whole cents, rounded half away from zero.
    public var cents: Int128 { rounded(toDecimals: 2).units / (Self.unit / 100) }

    /// Multiply by a ratio given as an exact decimal (used for fx conversion); rounds half-even.
    public func multiplied(by rate: Amount) -> Amount {
        // (a·10^15)(r·10^15)/10^15; out of range when the quotient would not fit in Int128.
        if isOutOfRange || rate.isOutOfRange { return .outOfRange }
        let magnitude = units.magnitude.multipliedFullWidth(by: rate.units.magnitude)
        guard magnitude.high < UInt128(Self.unit / 4) else { return .outOfRange }
        let product = units.multipliedFullWidth(by: rate.units)
        let (q, r) = Int128.dividingFullWidth_(product, Self.unit)
        return Amount(units: Self.roundHalfEven(quotient: q, remainder: r, divisor: Self.unit))
    }

    /// a × b ÷ c, exact up to one rounding (half-even) to 10⁻¹⁵; nil when c is zero or the
    /// result is beyond ±10²² (a ratio too extreme to be money).
    public static func mulDiv(_ a: Amount, _ b: Amount, _ c: Amount) -> Amount? {
        guard c.units != 0 else { return nil }
        let estimate = a.doubleValue * b.doubleValue / c.doubleValue
        guard estimate.isFinite, abs(estimate) < 1e22 else { return nil }
        // (a·10¹⁵)(b·10¹⁵) / (c·10¹⁵) = (a·b/c)·10¹⁵.
        let (q, r) = c.units.dividingFullWidth(a.units.multipliedFullWidth(by: b.units))
        return Amount(units: roundHalfEven(quotient: q, remainder: r, divisor: c.units))
    }

    static func roundHalfEven(quotient q: Int128, remainder r: Int128, divisor d: Int128) -> Int128 {
        let twice = r.magnitude * 2
        if twice > d.magnitude || (twice == d.magnitude && q % 2 != 0) {
            return (r < 0) != (d < 0) ? q - 1 : q + 1
        }
        return q
    }

    /// Exact decimal text with all significant fractional digits, e.g. `18.0066386184`.
    public var exactDescription: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(40)
        appendExactDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `exactDescription`'s bytes appended to `out`, for writers of whole files (table exports
    /// write tens of thousands of amounts a build). In 64 bits wherever the units fit.
    func appendExactDescription(to out: inout [UInt8]) {
        let mag = units.magnitude
        let whole: UInt128, fraction: UInt64
        if let small = UInt64(exactly: mag) {
            whole = UInt128(small / UInt64(Self.unit)); fraction = small % UInt64(Self.unit)
        } else {
            whole = mag / UInt128(Self.unit); fraction = UInt64(mag % UInt128(Self.unit))
        }
        if units < 0 { out.append(UInt8(ascii: "-")) }
        if let w = UInt64(exactly: whole) { Self.appendDigits(w, count: Self.digitCount(w), to: &out) } else { out.append(contentsOf: String(whole).utf8) }
        guard fraction != 0 else { return }
        // Trailing zeros dropped: `digits` significant decimals remain, leading zeros written.
        var frac = fraction, digits = Self.scale
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        out.append(UInt8(ascii: "."))
        Self.appendDigits(frac, count: digits, to: &out)
    }

    /// Decimal digits of `n`: at least 1.
    private static func digitCount(_ n: UInt64) -> Int {
        var count = 1, v = n
        while v >= 10 { v /= 10; count += 1 }
        return count
    }

    /// `n` in exactly `count` decimal digits, zero-padded on the left (`count` ≥ its digits).
    private static func appendDigits(_ n: UInt64, count: Int, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var v = n, i = start + count
        while v > 0 { i -= 1; out[i] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10 }
    }

    /// Fixed decimal text with exactly `digits` decimals (rounded half away from zero), no grouping.
    public func plainText(decimals digits: Int = 2) -> String {
        let r = rounded(toDecimals: digits)
        let negative = r.units < 0
        let mag = r.units.magnitude
        var step: UInt128 = 1
        for _ in 0..<(Self.scale - digits) { step *= 10 }
        let scaled = mag / step
        var divisor: UInt128 = 1
        for _ in 0..<digits { divisor *= 10 }
        let whole = scaled / divisor
        var frac = String(scaled % divisor)
        frac = String(repeating: "0", count: digits - frac.count) + frac
        let body = digits == 0 ? "\(whole)" : "\(whole).\(frac)"
        return negative && scaled != 0 ? "-" + body : body
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(exactDescription)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard case .value(let a, _) = Amount.parse(Array(text.utf8)[...]) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a decimal: \(text)")
        }
        self = a
    }
}

extension Int128 {
    /// Divides a full-width product by `divisor`, returning quotient and remainder. Traps on overflow.
    static func dividingFullWidth_(_ product: (high: Int128, low: UInt128), _ divisor: Int128) -> (Int128, Int128) {
        let (q, r) = divisor.dividingFullWidth(product)
        return (q, r)
    }
}
