/// Next quarter's forecast, made as of the build date, for the organisation and each team; the
/// archive rows that remember it; and the accuracy ledger of every earlier forecast.
public struct ForecastAnalysis: Sendable {
    public struct ForecastMonth: Sendable {
        public var month: Month
        public var point: Amount
        public var low: Amount
        public var high: Amount
        /// The month in progress: month-to-date actuals plus the rest at the recent daily rate.
        public var isMonthToDate: Bool
    }

    public struct ScopeForecast: Sendable {
        /// nil for the organisation.
        public var team: String?
        public var selection: ModelSelection
        public var months: [ForecastMonth]
        public var history: [Amount]
    }

    public var asOf: Day
    public var historyMonths: [Month]
    /// The quarter after the one containing the as-of date.
    public var nextQuarter: FiscalQuarter
    public var total: ScopeForecast
    public var teams: [ScopeForecast]
    public var currentMonth: CurrentMonthEstimate?
    public var ledger: AccuracyLedger
    /// Rows to append to the archive (made on the as-of date).
    public var archiveRows: [ForecastArchive.Row]

    public init(_ q: FactQuery, data: ClosedRange<Day>, asOf: Day, calendar: FiscalCalendar, basis: CostBasis,
                finance: [SubmittedForecast], archive: [ForecastArchive.Row]) {
        self.asOf = asOf
        let series = MonthlySeries(q, data: data, asOf: asOf, basis: basis)
        historyMonths = series.months
        let thisQuarter = calendar.quarter(containing: asOf)
        nextQuarter = calendar.quarter(containing: thisQuarter.firstMonth.advanced(by: 3))
        let firstForecast = series.months.last.map { $0.advanced(by: 1) } ?? asOf.month
        let horizonMonths = Array(stride(from: firstForecast, through: nextQuarter.months.last!, by: 1))
        let organisationEstimate = series.currentMonth.flatMap { _ in CurrentMonthEstimate(q, asOf: asOf, team: nil, basis: basis) }
        currentMonth = organisationEstimate

        func scope(_ team: String?, _ history: [Amount]) -> ScopeForecast {
            let selection = ModelSelection(history: history.map(\.doubleValue), horizon: horizonMonths.count)
            let estimate = team == nil ? organisationEstimate : series.currentMonth.flatMap { _ in CurrentMonthEstimate(q, asOf: asOf, team: team, basis: basis) }
            var months: [ForecastMonth] = []
            for (i, month) in horizonMonths.enumerated() {
                guard i < selection.forecast.count else { break }
                let p = selection.forecast[i]
                var point = Self.amount(p.point), low = Self.amount(p.low), high = Self.amount(p.high)
                var mtd = false
                if let e = estimate, e.month == month {
                    // Month to date: the settled days are known; only the estimated share of the
                    // model's interval remains uncertain.
                    mtd = true
                    let below = Self.amount((p.point - p.low) * e.estimatedShare), above = Self.amount((p.high - p.point) * e.estimatedShare)
                    point = e.estimate
                    low = max(.zero, point - below)
                    high = point + above
                }
                months.append(ForecastMonth(month: month, point: point, low: low, high: high, isMonthToDate: mtd))
            }
            return ScopeForecast(team: team, selection: selection, months: months, history: history)
        }
        let total = scope(nil, series.total)
        // Teams with cost in the last three complete months.
        let recent = max(0, series.months.count - 3)
        let teams = series.teams.keys.sorted().compactMap { team -> ScopeForecast? in
            let h = series.teams[team]!
            guard h[recent...].contains(where: { !$0.isZero }) else { return nil }
            return scope(team, h)
        }
        self.total = total
        self.teams = teams
        archiveRows = ([total] + teams).flatMap { s in
            s.months.map { m in
                ForecastArchive.Row(madeOn: asOf, month: m.month, team: s.team, amount: m.point, low: m.low, high: m.high,
                                    model: m.isMonthToDate ? "month_to_date" : s.selection.chosen.rawValue)
            }
        }
        var actuals: [String?: [Month: Amount]] = [nil: Dictionary(uniqueKeysWithValues: zip(series.months, series.total))]
        for (team, values) in series.teams { actuals[team] = Dictionary(uniqueKeysWithValues: zip(series.months, values)) }
        ledger = AccuracyLedger(finance: finance, archive: archive, actuals: actuals, months: series.months)
    }

    /// A model value (Double) as money, rounded to the cent: forecasts are estimates.
    static func amount(_ d: Double) -> Amount {
        guard d.isFinite else { return .zero }
        return Amount(cents: Int((d * 100).rounded()))
    }
}
