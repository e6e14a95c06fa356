/// A fiscal quarter the pack reports on, cut at the as-of date, with the window it is compared to.
public struct ReportingPeriod: Sendable, Hashable {
    public var quarter: FiscalQuarter
    /// The days reported: the whole quarter, or its first days up to the as-of date.
    public var days: ClosedRange<Day>
    /// The prior quarter's window of the same elapsed length (the whole prior quarter when complete).
    public var comparison: ClosedRange<Day>
    public var isComplete: Bool { days.upperBound == quarter.lastDay }

    /// Folder name and label, e.g. `FY2026-Q3`.
    public var name: String { quarter.description }

    /// Every fiscal quarter overlapping `data` up to `asOf`: complete quarters, plus the quarter to date.
    public static func all(data: ClosedRange<Day>, asOf: Day, calendar: FiscalCalendar) -> [ReportingPeriod] {
        guard data.lowerBound <= asOf else { return [] }
        var q = calendar.quarter(containing: data.lowerBound)
        let last = calendar.quarter(containing: asOf)
        var out: [ReportingPeriod] = []
        while q <= last {
            let end = min(q.lastDay, asOf)
            let elapsed = q.firstDay.distance(to: end)
            let prior = q.previous
            let priorEnd = q.lastDay == end ? prior.lastDay : min(prior.lastDay, prior.firstDay.advanced(by: elapsed))
            out.append(ReportingPeriod(quarter: q, days: q.firstDay...end, comparison: prior.firstDay...priorEnd))
            q = calendar.quarter(containing: q.firstMonth.advanced(by: 3))
        }
        return out
    }
}
