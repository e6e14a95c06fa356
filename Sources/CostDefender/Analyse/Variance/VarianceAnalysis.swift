/// The three bridges of a period and the movers behind the quarter-over-quarter one.
public struct VarianceAnalysis: Sendable {
    public var quarter: QuarterBridge
    public var budget: Bridge?
    public var forecast: Bridge?
    /// Why a bridge is missing, by kind.
    public var missing: [Bridge.Kind: String]
    public var movers: Movers
    /// Notes about the whole organisation in the period's windows.
    public var organisationNotes: [Note]
    public var forecastMadeOn: Day?

    public var bridges: [Bridge] { [quarter.bridge] + [budget, forecast].compactMap { $0 } }

    public init(_ q: FactQuery, period: ReportingPeriod, basis: CostBasis, business: BusinessInputs,
                volumeDrivers: [String: [Month: Amount]], budgetTargets: (teams: [String: Amount], total: Amount?)?,
                savings: SavingsVerification? = nil) {
        let verified = (savings?.results ?? []).filter { $0.status == .verified }.map {
            (team: $0.entry.team, prior: $0.realised(in: period.comparison), current: $0.realised(in: period.days))
        }
        quarter = QuarterBridge(q, period: period, basis: basis, volumeDrivers: volumeDrivers, savings: verified)
        var missing: [Bridge.Kind: String] = [:]
        let endLabel = period.quarter.description + (period.isComplete ? "" : " to date")
        if let targets = budgetTargets, !(targets.teams.isEmpty && targets.total == nil) {
            budget = TargetBridge.build(kind: .budget, q, window: period.days, basis: basis, teamTargets: targets.teams,
                                        totalTarget: targets.total, startLabel: "Budget", endLabel: endLabel).0
        } else {
            budget = nil
            missing[.budget] = "no budget covers \(period.quarter)"
        }
        let forecasts = ForecastTargets(business.forecasts, quarter: period.quarter)
        forecastMadeOn = forecasts.madeOn
        if forecasts.isEmpty {
            forecast = nil
            missing[.forecast] = "finance submitted no forecast for \(period.quarter) before it began"
        } else {
            let teams = forecasts.teams.mapValues { TargetWindow.amount($0, window: period.days) }
            let total = forecasts.total.isEmpty ? nil : TargetWindow.amount(forecasts.total, window: period.days)
            forecast = TargetBridge.build(kind: .forecast, q, window: period.days, basis: basis, teamTargets: teams, totalTarget: total,
                                          startLabel: "Forecast" + (forecasts.madeOn.map { " (made \($0))" } ?? ""), endLabel: endLabel).0
        }
        self.missing = missing
        movers = Movers(quarter.contributions, notes: business.notes, windows: [period.days, period.comparison])
        organisationNotes = business.notes.filter { n in
            n.teams.isEmpty && n.conditions.isEmpty && (n.days.overlaps(period.days) || n.days.overlaps(period.comparison))
        }
    }
}
