/// The forecast finance submitted for a quarter: for each month of the quarter and each team
/// (or the total, `*`), the latest forecast made before the quarter's first day.
public struct ForecastTargets: Sendable {
    /// Team → month → amount.
    public var teams: [String: [Month: Amount]]
    /// The `*` forecast by month, when finance submitted one.
    public var total: [Month: Amount]
    /// The day the chosen forecasts were made (the latest among them), nil when none exists.
    public var madeOn: Day?

    public init(_ forecasts: [SubmittedForecast], quarter: FiscalQuarter) {
        var best: [String: [Month: SubmittedForecast]] = [:]
        let months = Set(quarter.months)
        for f in forecasts where months.contains(f.month) && f.madeOn < quarter.firstDay {
            let key = f.team ?? "*"
            if let existing = best[key]?[f.month], existing.madeOn >= f.madeOn { continue }
            best[key, default: [:]][f.month] = f
        }
        teams = best.filter { $0.key != "*" }.mapValues { $0.mapValues(\.amount) }
        total = best["*"]?.mapValues(\.amount) ?? [:]
        madeOn = best.values.flatMap { $0.values.map(\.madeOn) }.max()
    }

    public var isEmpty: Bool { teams.isEmpty && total.isEmpty }
}
