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

    public var byTeam: [String: CostMeasures] { by[.team] ?? [:] }

    public init(_ q: FactQuery, period: ReportingPeriod) {
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
    }

    private struct MonthKey: Hashable { var month: Month; var name: String }
}

/// Quarter-over-quarter change, computed at the finest grain (team × product × service × account)
/// so that the roll-ups by team and by service each sum exactly to the total change.
public struct QuarterChange: Sendable {
    public struct Grain: Hashable, Sendable { public var team, product, service, account: String }
    public struct Line: Sendable { public var name: String; public var prior: Amount; public var current: Amount; public var delta: Amount { current - prior } }

    public var finest: [Grain: (prior: Amount, current: Amount)]
    public var byTeam: [Line]
    public var byService: [Line]
    public var prior: Amount
    public var current: Amount

    public init(_ q: FactQuery, period: ReportingPeriod, basis: CostBasis) {
        let costs = q.costs
        func grain(_ f: CostFact) -> Grain {
            Grain(team: costs.team(f), product: costs.product(f), service: costs.cube.value(.service, of: f.key), account: costs.cube.value(.subAccount, of: f.key))
        }
        let now = q.sum(period.days, by: grain)
        let before = q.sum(period.comparison, by: grain)
        var finest: [Grain: (prior: Amount, current: Amount)] = [:]
        for (g, m) in now { finest[g, default: (.zero, .zero)].current += m.cost(basis) }
        for (g, m) in before { finest[g, default: (.zero, .zero)].prior += m.cost(basis) }
        self.finest = finest
        func rollUp(_ name: (Grain) -> String) -> [Line] {
            var acc: [String: (Amount, Amount)] = [:]
            for (g, v) in finest { acc[name(g), default: (.zero, .zero)].0 += v.prior; acc[name(g), default: (.zero, .zero)].1 += v.current }
            return acc.map { Line(name: $0.key, prior: $0.value.0, current: $0.value.1) }
                .sorted { $0.delta.magnitude != $1.delta.magnitude ? $0.delta.magnitude > $1.delta.magnitude : $0.name < $1.name }
        }
        byTeam = rollUp { $0.team }
        byService = rollUp { $0.service }
        prior = finest.values.reduce(.zero) { $0 + $1.prior }
        current = finest.values.reduce(.zero) { $0 + $1.current }
    }

    public var delta: Amount { current - prior }
}
