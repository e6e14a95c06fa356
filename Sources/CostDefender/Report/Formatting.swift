/// Formatting for people: money, percentages, counts, dates. The only place that decides how a
/// figure looks, so tables, narrative and exports agree. English grouping (1,234.56).
public struct Formatter: Sendable {
    public var currency: String

    public init(currency: String) { self.currency = currency }

    var symbol: String? {
        switch currency {
        case "USD": return "$"
        case "EUR": return "€"
        case "GBP": return "£"
        case "JPY": return "¥"
        default: return nil
        }
    }

    /// `$1,234.56`, `-$12.00`, `CHF 1,234.56`.
    public func money(_ a: Amount) -> String {
        guard let cents = Self.wholeCents(a) else { return moneyFromText(a) }
        // Written byte by byte: tables show tens of thousands of amounts per build.
        var out: [UInt8] = []
        out.reserveCapacity(32)
        if cents < 0 { out.append(UInt8(ascii: "-")) }
        if let symbol { out.append(contentsOf: symbol.utf8) } else { out.append(contentsOf: currency.utf8); out.append(UInt8(ascii: " ")) }
        let magnitude = cents.magnitude
        Self.appendGrouped(magnitude / 100, to: &out)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(magnitude % 100 / 10))
        out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        return String(decoding: out, as: UTF8.self)
    }

    /// Below 10¹⁶ currency units (every real amount) cents fit in 64 bits with room to spare.
    private static let fastMoneyLimit = Amount.unit * 10_000_000_000_000_000

    /// `a` in whole cents, rounded half away from zero as `Amount.plainText` rounds; nil when the
    /// amount is out of range or too large for 64 bits.
    static func wholeCents(_ a: Amount) -> Int64? {
        guard !a.isOutOfRange, a.units.magnitude < fastMoneyLimit.magnitude else { return nil }
        let step = Amount.unit / 100
        var q = a.units / step
        let r = a.units % step
        if r * 2 >= step { q += 1 } else if r * 2 <= -step { q -= 1 }
        return Int64(q)
    }

    /// `n` in decimal with a comma before every third digit from the right, as `group` writes it.
    static func appendGrouped(_ n: UInt64, to out: inout [UInt8]) {
        var divisor: UInt64 = 1, left = 1
        while n / divisor >= 10 { divisor *= 10; left += 1 }
        var rest = n
        while left > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
            left -= 1
            if left > 0 && left % 3 == 0 { out.append(UInt8(ascii: ",")) }
        }
    }

    /// `money` through `Amount.plainText`, for any amount (the general path: exact beyond 64 bits).
    func moneyFromText(_ a: Amount) -> String {
        let text = a.plainText(decimals: 2)
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let body = Self.group(String(parts[0])) + (parts.count > 1 ? "." + parts[1] : "")
        let withSymbol = symbol.map { $0 + body } ?? "\(currency) \(body)"
        return negative ? "-" + withSymbol : withSymbol
    }

    /// A change with its sign: `+$1,234.56`, `-$12.00`, `$0.00`.
    public func signedMoney(_ a: Amount) -> String {
        let s = money(a)
        return (Self.wholeCents(a) ?? Int64(clamping: a.cents)) > 0 ? "+" + s : s
    }

    /// `$95.2k`, `$1.23M`, for narrative; exact figures stay in the tables.
    public func compactMoney(_ a: Amount) -> String {
        let v = a.doubleValue
        let m = abs(v)
        let sign = v < 0 ? "-" : ""
        let sym = symbol ?? currency + " "
        if m >= 1e9 { return "\(sign)\(sym)\(Self.fixed(m / 1e9, 2))B" }
        if m >= 1e6 { return "\(sign)\(sym)\(Self.fixed(m / 1e6, 2))M" }
        if m >= 1e4 { return "\(sign)\(sym)\(Self.fixed(m / 1e3, 1))k" }
        return money(a)
    }

    /// `12.3%`; `—` when undefined.
    public func percent(_ share: Double?, decimals: Int = 1) -> String {
        guard let share, share.isFinite else { return "—" }
        return Self.fixed(share * 100, decimals) + "%"
    }

    /// `+12.3%` / `-4.0%`; `—` when undefined (e.g. growth from zero).
    public func signedPercent(_ share: Double?, decimals: Int = 1) -> String {
        guard let share, share.isFinite else { return "—" }
        let s = percent(share, decimals: decimals)
        return share > 0 && s != percent(0, decimals: decimals) ? "+" + s : s
    }

    public func count(_ n: Int) -> String { Self.group(String(n.magnitude)).withSign(n < 0) }

    /// Change relative to a base; nil when the base is zero.
    public static func change(from base: Amount, to value: Amount) -> Double? {
        base.isZero ? nil : (value - base).doubleValue / abs(base.doubleValue)
    }

    public static func share(_ part: Amount, of whole: Amount) -> Double? {
        whole.isZero ? nil : part.doubleValue / whole.doubleValue
    }

    /// `1234567` → `1,234,567`: a comma before every third character from the right. `digits`
    /// is ASCII (every caller passes decimal digits), so it is grouped byte by byte.
    static func group(_ digits: String) -> String {
        assert(digits.utf8.allSatisfy { $0 < 0x80 }, "group expects ASCII digits")
        let n = digits.utf8.count
        if n <= 3 { return digits }
        var out: [UInt8] = []
        out.reserveCapacity(n + (n - 1) / 3)
        for (i, b) in digits.utf8.enumerated() {
            if i > 0 && (n - i) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Fixed decimals without Foundation's locale-dependent formatting.
    /// Magnitudes from 10¹⁵ on (beyond exact whole numbers in a Double) are written in E-notation.
    static func fixed(_ v: Double, _ decimals: Int) -> String {
        guard abs(v) < 1e15 else { return v.isFinite ? "\(v)" : "—" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (abs(v) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int(r / scale)
        let frac = Int(r - Double(whole) * scale)
        var s = group(String(whole))
        if decimals > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (v < 0 && r != 0 ? "-" : "") + s
    }
}

private extension String {
    func withSign(_ negative: Bool) -> String { negative ? "-" + self : self }
}
