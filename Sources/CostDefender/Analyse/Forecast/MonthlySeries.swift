/// Monthly cost series for forecasting: the organisation's total and each team's, over the
/// complete months of the data up to the as-of date, plus the month in progress.
public struct MonthlySeries: Sendable {
    /// Complete months, oldest first (a month is complete when the as-of date is its last day
    /// or later).
    public var months: [Month]
    /// Team → cost per complete month (same order as `months`); missing months are 0.
    public var teams: [String: [Amount]]
    public var total: [Amount]
    /// The month containing the as-of date when it is not complete.
    public var currentMonth: Month?

    public init(_ q: FactQuery, data: ClosedRange<Day>, asOf: Day, basis: CostBasis) {
        let first = data.lowerBound.month
        let asOfMonth = asOf.month
        let lastComplete = asOf == asOfMonth.lastDay ? asOfMonth : asOfMonth.advanced(by: -1)
        months = first <= lastComplete ? Array(stride(from: first, through: lastComplete, by: 1)) : []
        currentMonth = asOf == asOfMonth.lastDay ? nil : asOfMonth
        var total = [Amount](repeating: .zero, count: months.count)
        // By team index; nil: the team has no fact in these months.
        var byTeam = [[Amount]?](repeating: nil, count: q.costs.teams.count)
        if let lo = months.first, let hi = months.last {
            let first = Int32(lo.ordinal), count = months.count
            q.forEachRow(in: lo.firstDay...hi.lastDay) { f, _ in
                let i = Int(q.monthOrdinal(of: f) - first)
                let c = f.measures.cost(basis)
                total[i] += c
                let t = Int(f.team)
                if byTeam[t] == nil { byTeam[t] = [Amount](repeating: .zero, count: count) }
                byTeam[t]![i] += c
            }
        }
        var teams: [String: [Amount]] = [:]
        for (t, values) in byTeam.enumerated() { if let values { teams[q.costs.teams[t]] = values } }
        self.teams = teams
        self.total = total
    }
}

/// The month in progress, estimated from its month-to-date actuals: the days the billing data
/// has settled keep their actual cost, the rest of the month is priced at a weekday-adjusted
/// recent daily rate, and recurring monthly charges that have not posted yet are added at last
/// month's amount.
public struct CurrentMonthEstimate: Sendable {
    public var month: Month
    /// Actual cost through `settledThrough` (the last days before the as-of date are ignored:
    /// billing data for them is usually incomplete).
    public var settled: Amount
    public var settledThrough: Day
    /// Estimated run-rate cost of the remaining days.
    public var remaining: Amount
    /// Recurring charges expected but not yet posted this month.
    public var recurringToCome: Amount
    public var estimate: Amount { settled + remaining + recurringToCome }
    /// Share of the month's days that are estimated, 0–1.
    public var estimatedShare: Double

    /// - Parameters:
    ///   - team: nil for the organisation.
    ///   - unsettledDays: the last days before as-of to treat as incomplete (default 2).
    ///   - rateWindow: complete days the weekday rates are averaged over (default 28: four of each weekday).
    public init?(_ q: FactQuery, asOf: Day, team: String?, basis: CostBasis, unsettledDays: Int = 2, rateWindow: Int = 28) {
        let month = asOf.month
        guard asOf < month.lastDay else { return nil }
        self.month = month
        let settledThrough = max(month.firstDay.advanced(by: -1), asOf.advanced(by: -unsettledDays))
        self.settledThrough = settledThrough
        let costs = q.costs
        let cube = costs.cube
        // Team and frequency compared by index (table values and team names are distinct).
        let teamIndex = team.map { costs.teams.firstIndex(of: $0).map(Int32.init) ?? -1 }
        let recurring = cube.tables[Dimension.chargeFrequency.rawValue].firstIndex(of: "Recurring").map(Int32.init) ?? -1
        func include(_ f: CostFact) -> Bool { teamIndex == nil || f.team == teamIndex }
        func isRecurring(_ f: CostFact) -> Bool { f.key[.chargeFrequency] == recurring }
        var settled = Amount.zero
        var recurringThisMonth = Amount.zero
        if settledThrough >= month.firstDay {
            for f in q.facts(in: month.firstDay...settledThrough) where include(f) {
                settled += f.measures.cost(basis)
                if isRecurring(f) { recurringThisMonth += f.measures.cost(basis) }
            }
        }
        // Weekday rates from the last `rateWindow` settled days, recurring charges left out.
        let rateDays = settledThrough.advanced(by: -(rateWindow - 1))...settledThrough
        var byWeekday = [Amount](repeating: .zero, count: 7)
        var daysPerWeekday = [Int](repeating: 0, count: 7)
        for d in rateDays { daysPerWeekday[d.weekday] += 1 }
        for f in q.facts(in: rateDays) where include(f) && !isRecurring(f) { byWeekday[f.day.weekday] += f.measures.cost(basis) }
        var remaining = Amount.zero
        var d = settledThrough.advanced(by: 1)
        while d <= month.lastDay {
            let w = d.weekday
            if daysPerWeekday[w] > 0 { remaining += Amount.mulDiv(byWeekday[w], Amount(whole: 1), Amount(whole: daysPerWeekday[w])) ?? .zero }
            d = d.advanced(by: 1)
        }
        self.remaining = remaining
        // Last month's recurring charges, when this month's have not posted yet.
        let last = month.advanced(by: -1)
        var recurringLastMonth = Amount.zero
        q.forEachRow(in: last.firstDay...last.lastDay) { f, _ in
            if include(f) && isRecurring(f) { recurringLastMonth += f.measures.cost(basis) }
        }
        recurringToCome = max(.zero, recurringLastMonth - recurringThisMonth)
        self.settled = settled
        estimatedShare = Double(settledThrough.distance(to: month.lastDay)) / Double(month.dayCount)
    }
}
