/// Cost of one period by team, service, account, product and month, with the comparison window.
public struct SpendBreakdown: Sendable {
    public var total: CostMeasures
    public var priorTotal: CostMeasures
    public var byTeam: [String: CostMeasures]
    public var byService: [String: CostMeasures]
    public var byAccount: [String: CostMeasures]
    public var byProduct: [String: CostMeasures]
    /// Month → team → cost.
    public var byMonthAndTeam: [Month: [String: CostMeasures]]
    public var months: [Month]

    public init(_ q: FactQuery, period: ReportingPeriod) {
        let costs = q.costs
        let days = period.days
        total = q.total(days)
        priorTotal = q.total(period.comparison)
        byTeam = q.sum(days) { costs.team($0) }
        byService = q.sum(days) { costs.cube.value(.service, of: $0.key) }
        byAccount = q.sum(days) { costs.cube.value(.subAccount, of: $0.key) }
        byProduct = q.sum(days) { costs.product($0) }
        var byMonth: [Month: [String: CostMeasures]] = [:]
        for ((month, team), m) in q.sum(days, by: { MonthTeam(month: $0.day.month, team: costs.team($0)) }).map({ (($0.key.month, $0.key.team), $0.value) }) {
            byMonth[month, default: [:]][team] = m
        }
        byMonthAndTeam = byMonth
        months = period.quarter.months.filter { $0.firstDay <= days.upperBound }
    }

    private struct MonthTeam: Hashable { var month: Month; var team: String }
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
