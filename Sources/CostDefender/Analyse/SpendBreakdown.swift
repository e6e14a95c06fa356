/// How the pack groups cost in its tables.
public enum Grouping: String, CaseIterable, Sendable {
    case team, service, account, product

    func key(_ f: CostFact, _ costs: AllocatedCosts) -> String {
        switch self {
        case .team: return costs.team(f)
        case .service: return costs.cube.value(.service, of: f.key)
        case .account: return costs.cube.value(.subAccount, of: f.key)
        case .product: return costs.product(f)
        }
    }
}

/// Cost of one period by team, service, account and product, in total and by month.
public struct SpendBreakdown: Sendable {
    public var total: CostMeasures
    public var priorTotal: CostMeasures
    /// Grouping → name → cost over the period.
    public var by: [Grouping: [String: CostMeasures]]
    /// Grouping → month → name → cost.
    public var byMonth: [Grouping: [Month: [String: CostMeasures]]]
    /// The months of the period that have started by its last day.
    public var months: [Month]
    /// The twelve months up to the period's last day (the last one possibly partial), for the
    /// monthly trend chart: month → team → cost on the configured basis.
    public var trailingByTeam: [Month: [String: Amount]]
    public var trailingMonths: [Month]

    public var byTeam: [String: CostMeasures] { by[.team] ?? [:] }

    public init(_ q: FactQuery, period: ReportingPeriod, basis: CostBasis) {
        let costs = q.costs
        let days = period.days
        total = q.total(days)
        priorTotal = q.total(period.comparison)
        var by: [Grouping: [String: CostMeasures]] = [:]
        var byMonth: [Grouping: [Month: [String: CostMeasures]]] = [:]
        for g in Grouping.allCases {
            let monthly = q.sum(days) { MonthKey(month: $0.day.month, name: g.key($0, costs)) }
            var totals: [String: CostMeasures] = [:]
            var perMonth: [Month: [String: CostMeasures]] = [:]
            for (k, m) in monthly {
                perMonth[k.month, default: [:]][k.name] = m
                totals[k.name, default: CostMeasures()] += m
            }
            by[g] = totals
            byMonth[g] = perMonth
        }
        self.by = by
        self.byMonth = byMonth
        months = period.quarter.months.filter { $0.firstDay <= days.upperBound }
        let last = days.upperBound.month
        let trailing = last.advanced(by: -11).firstDay...days.upperBound
        var byMonthTeam: [Month: [String: Amount]] = [:]
        for (k, m) in q.sum(trailing, by: { MonthKey(month: $0.day.month, name: costs.team($0)) }) {
            byMonthTeam[k.month, default: [:]][k.name, default: .zero] += m.cost(basis)
        }
        trailingByTeam = byMonthTeam
        trailingMonths = (0..<12).map { last.advanced(by: $0 - 11) }.filter { byMonthTeam[$0] != nil }
    }

    private struct MonthKey: Hashable { var month: Month; var name: String }
}

