/// Every analysis of one reporting period; the input of the period's report sections.
public struct PeriodFigures: Sendable {
    public var period: ReportingPeriod
    public var basis: CostBasis
    public var currency: String
    public var spend: SpendBreakdown
    public var change: QuarterChange
    public var coverage: AllocationCoverage
    public var reconciliation: Reconciliation
    public var diagnostics: Diagnostics
    /// Days of the period that have any cost data.
    public var daysWithData: Int
    /// Days of the comparison window that have any cost data (0: nothing to compare with).
    public var comparisonDaysWithData: Int
    public var asOf: Day
    /// Account display names by id.
    public var accountNames: [String: String]
}
