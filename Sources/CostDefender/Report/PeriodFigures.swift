/// Every analysis of one reporting period; the input of the period's report sections.
public struct PeriodFigures: Sendable {
    /// The quarter-over-quarter bridge (start = comparison window, end = period).
    public var bridge: Bridge { variance.quarter.bridge }

    public var period: ReportingPeriod
    public var basis: CostBasis
    public var currency: String
    public var spend: SpendBreakdown
    public var variance: VarianceAnalysis
    public var budget: BudgetVariance
    public var unitEconomics: UnitEconomics
    /// The savings ledger verified as of the build date (the same for every period).
    public var savings: SavingsVerification? = nil
    public var calendar = FiscalCalendar(startMonth: 1)
    public var commitments: CommitmentDiscounts? = nil
    public var anomalies: AnomalyDetector? = nil
    /// The maturity scorecard, measured as of the build date: only on the period containing it.
    public var scorecard: MaturityScorecard? = nil
    /// The forecast made as of the build date; only on the period containing it.
    public var forecast: ForecastAnalysis? = nil
    /// Budgets of the quarter after the as-of date, beside the forecast.
    public var nextQuarterBudget: BudgetVariance.Window? = nil
    public var coverage: AllocationCoverage
    public var reconciliation: Reconciliation
    public var diagnostics: Diagnostics
    /// Days of the period that have any cost data.
    public var daysWithData: Int
    /// Days of the comparison window that have any cost data (0: nothing to compare with).
    public var comparisonDaysWithData: Int
    public var asOf: Day
    /// One page per team with cost in the period (slug is the file name under `teams/`).
    public var teamPages: [(team: String, slug: String)] = []
    /// Owner and contact by team, from the config.
    public var teamContacts: [String: Configuration.TeamContact] = [:]
    /// Account display names by id.
    public var accountNames: [String: String]
}
