/// A fiscal year that starts in `startMonth` and is named after the calendar year it ends in
/// (start month 2: FY2026 runs February 2025 – January 2026; start month 1: FY = calendar year).
public struct FiscalCalendar: Sendable, Equatable {
    public var startMonth: Int

    public init(startMonth: Int) {
        precondition((1...12).contains(startMonth))
        self.startMonth = startMonth
    }

    /// The fiscal quarter containing `month`.
    public func quarter(containing month: Month) -> FiscalQuarter {
        let offset = (month.month - startMonth + 12) % 12       // months since the FY started
        let fyStart = month.advanced(by: -offset)
        let fiscalYear = startMonth == 1 ? fyStart.year : fyStart.year + 1
        let q = offset / 3 + 1
        return FiscalQuarter(fiscalYear: fiscalYear, quarter: q, firstMonth: fyStart.advanced(by: (q - 1) * 3))
    }

    public func quarter(containing day: Day) -> FiscalQuarter { quarter(containing: day.month) }

    /// The first month of fiscal year `fy`.
    public func firstMonth(ofFiscalYear fy: Int) -> Month {
        Month(year: startMonth == 1 ? fy : fy - 1, month: startMonth)
    }

    /// Parses `FY2026-Q3`.
    public func parseQuarter(_ text: String) -> FiscalQuarter? {
        let t = text.uppercased()
        guard t.hasPrefix("FY"), t.count == 9, Array(t)[6] == "-", Array(t)[7] == "Q",
              let fy = Int(t.dropFirst(2).prefix(4)), let q = Int(t.suffix(1)), (1...4).contains(q), fy > 1900, fy < 2200 else { return nil }
        return FiscalQuarter(fiscalYear: fy, quarter: q, firstMonth: firstMonth(ofFiscalYear: fy).advanced(by: (q - 1) * 3))
    }
}

/// Three consecutive months of a fiscal year.
public struct FiscalQuarter: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var fiscalYear: Int
    public var quarter: Int
    public var firstMonth: Month

    public var months: [Month] { (0..<3).map { firstMonth.advanced(by: $0) } }
    public var firstDay: Day { firstMonth.firstDay }
    public var lastDay: Day { firstMonth.advanced(by: 2).lastDay }
    public var days: ClosedRange<Day> { firstDay...lastDay }
    /// `FY2026-Q3`.
    public var description: String { "FY\(fiscalYear)-Q\(quarter)" }

    public var previous: FiscalQuarter {
        quarter == 1 ? FiscalQuarter(fiscalYear: fiscalYear - 1, quarter: 4, firstMonth: firstMonth.advanced(by: -3))
                     : FiscalQuarter(fiscalYear: fiscalYear, quarter: quarter - 1, firstMonth: firstMonth.advanced(by: -3))
    }

    public static func < (a: FiscalQuarter, b: FiscalQuarter) -> Bool { a.firstMonth < b.firstMonth }
}
