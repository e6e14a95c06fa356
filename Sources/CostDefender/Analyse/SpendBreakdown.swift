/// How the pack groups cost in its tables.
public enum Grouping: String, CaseIterable, Sendable {
    case team, service, account, product

    /// The index of a fact's group in its table (team, cube table or product index).
    func id(_ f: CostFact) -> Int32 {
        switch self {
        case .team: return f.team
        case .service: return f.key[.service]
        case .account: return f.key[.subAccount]
        case .product: return f.product
        }
    }

    /// The name of the group with index `id`.
    func name(_ id: Int32, _ costs: AllocatedCosts) -> String {
        switch self {
        case .team: return costs.teams[Int(id)]
        case .service: return costs.cube.tables[Dimension.service.rawValue][Int(id)]
        case .account: return costs.cube.tables[Dimension.subAccount.rawValue][Int(id)]
        case .product: return costs.products[Int(id)]
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
            let monthly = q.sum(days, code: { GroupCode(Int32(q.month(of: $0).ordinal), g.id($0), 0, 0, 0, 0, 0, 0) },
                                name: { MonthKey(month: Month(ordinal: Int($0[0])), name: g.name($0[1], costs)) })
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
        for (k, m) in q.sum(trailing, code: { GroupCode(Int32(q.month(of: $0).ordinal), $0.team, 0, 0, 0, 0, 0, 0) },
                            name: { MonthKey(month: Month(ordinal: Int($0[0])), name: costs.teams[Int($0[1])]) }) {
            byMonthTeam[k.month, default: [:]][k.name, default: .zero] += m.cost(basis)
        }
        trailingByTeam = byMonthTeam
        trailingMonths = (0..<12).map { last.advanced(by: $0 - 11) }.filter { byMonthTeam[$0] != nil }
    }

    private struct MonthKey: Hashable { var month: Month; var name: String }
}

