/// A calendar day in UTC, stored as days since 1970-01-01 (proleptic Gregorian).
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, Strideable {
    public var index: Int32
    public init(index: Int32) { self.index = index }

    /// Days from civil date (Howard Hinnant's algorithm).
    public init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        index = Int32(era * 146097 + doe - 719468)
    }

    public var civil: (year: Int, month: Int, day: Int) {
        let z = Int(index) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public var month: Month { let c = civil; return Month(year: c.year, month: c.month) }
    /// 0 = Monday … 6 = Sunday.
    public var weekday: Int { Int((index % 7 + 7 + 3) % 7) }

    public static func < (a: Day, b: Day) -> Bool { a.index < b.index }
    public func advanced(by n: Int) -> Day { Day(index: index + Int32(n)) }
    public func distance(to other: Day) -> Int { Int(other.index - index) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = civil
        return "\(c.year)-\(Self.pad(c.month))-\(Self.pad(c.day))"
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(iso text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, let d = b.withUnsafeBytes({ DateTimeParser.day(from: $0) }) else { return nil }
        self = d
    }

    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(description) }
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = Day(iso: s) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a YYYY-MM-DD date: \(s)") }
        self = d
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A calendar month.
public struct Month: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, Strideable {
    public var year: Int
    public var month: Int
    public init(year: Int, month: Int) { self.year = year; self.month = month }

    var ordinal: Int { year * 12 + (month - 1) }
    init(ordinal: Int) { year = ordinal / 12; month = ordinal % 12 + 1 }

    public static func < (a: Month, b: Month) -> Bool { a.ordinal < b.ordinal }
    public func advanced(by n: Int) -> Month { Month(ordinal: ordinal + n) }
    public func distance(to other: Month) -> Int { other.ordinal - ordinal }

    public var firstDay: Day { Day(year: year, month: month, day: 1) }
    public var lastDay: Day { Day(year: year, month: month, day: dayCount) }
    public var dayCount: Int { Day.daysIn(year: year, month: month) }
    /// `YYYY-MM`.
    public var description: String { "\(year)-\(Day.pad(month))" }

    /// Parses `YYYY-MM`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), y >= 1900, y <= 2200 else { return nil }
        year = y; month = m
    }

    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(description) }
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let m = Month(iso: s) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a YYYY-MM month: \(s)") }
        self = m
    }
}

/// Parses FOCUS date-times into UTC days, byte by byte.
enum DateTimeParser {
    @inline(__always)
    static func digits(_ b: UnsafeRawBufferPointer, _ from: Int, _ count: Int) -> Int? {
        var v = 0
        for i in from..<(from + count) {
            let c = b[i]
            if c < 48 || c > 57 { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }

    /// `YYYY-MM-DD` at the start of `b`, with range checks (years 1900–2200).
    @inline(__always)
    static func day(from b: UnsafeRawBufferPointer) -> Day? {
        guard b.count >= 10, b[4] == 45, b[7] == 45,
              let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
              y >= 1900, y <= 2200, m >= 1, m <= 12, d >= 1, d <= Day.daysIn(year: y, month: m) else { return nil }
        return Day(year: y, month: m, day: d)
    }

    /// A FOCUS date-time → its UTC day. Accepts `YYYY-MM-DD`, then optionally `T` or space,
    /// `HH:MM[:SS[.fff]]`, then optionally `Z` or `±HH:MM` / `±HHMM`.
    static func utcDay(_ b: UnsafeRawBufferPointer) -> Day? {
        guard var day = day(from: b) else { return nil }
        if b.count == 10 { return day }
        guard b.count >= 16, b[10] == 84 || b[10] == 32, b[13] == 58,
              let hh = digits(b, 11, 2), let mm = digits(b, 14, 2), hh <= 23, mm <= 59 else { return nil }
        var i = 16
        if i < b.count && b[i] == 58 {
            guard b.count >= 19, let ss = digits(b, 17, 2), ss <= 60 else { return nil }
            i = 19
            if i < b.count && b[i] == 46 {
                i += 1
                let fracStart = i
                while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
                if i == fracStart { return nil }
            }
        }
        if i == b.count { return day }
        if b[i] == 90 { return i + 1 == b.count ? day : nil } // Z
        guard b[i] == 43 || b[i] == 45 else { return nil }
        let sign = b[i] == 43 ? 1 : -1
        var oh = 0, om = 0
        if b.count - i == 6, b[i + 3] == 58, let h = digits(b, i + 1, 2), let m = digits(b, i + 4, 2) { oh = h; om = m }
        else if b.count - i == 5, let h = digits(b, i + 1, 2), let m = digits(b, i + 3, 2) { oh = h; om = m }
        else if b.count - i == 3, let h = digits(b, i + 1, 2) { oh = h }
        else { return nil }
        guard oh <= 14, om <= 59 else { return nil }
        // UTC = local − offset.
        let minutes = hh * 60 + mm - sign * (oh * 60 + om)
        if minutes < 0 { day = day.advanced(by: -1) } else if minutes >= 1440 { day = day.advanced(by: 1) }
        return day
    }
}
