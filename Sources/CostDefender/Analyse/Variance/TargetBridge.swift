/// A bridge from a target (finance's budget or forecast for the window) to the actual cost.
///
/// Targets are set for run-rate spend by team, so the variance is attributed, exactly, to:
/// one-time and irregular charges (never in a run-rate target), run-rate spend of teams without
/// a target (including unallocated cost), the organisation-level target not assigned to teams
/// (negative when the total target exceeds the team targets), and each targeted team's
/// run-rate above or below its target. The residual is zero by construction; the owners of the
/// team drivers name who must explain their part.
public enum TargetBridge {
    /// - Parameters:
    ///   - teamTargets: target per team for the window.
    ///   - totalTarget: the organisation's target (`*`), or nil to use the sum of team targets.
    public static func build(kind: Bridge.Kind, _ q: FactQuery, window: ClosedRange<Day>, basis: CostBasis,
                             teamTargets: [String: Amount], totalTarget: Amount?, startLabel: String, endLabel: String) -> (Bridge, [BridgeContribution]) {
        let costs = q.costs
        let cube = costs.cube
        struct Cell: Hashable { var team: String; var product: String; var service: String; var account: String; var oneTime: Bool }
        let kinds = ChargeKinds(cube)
        let actual = q.sum(window, code: { f -> GroupCode in
            GroupCode(f.team, f.product, f.key[.service], f.key[.subAccount], kinds.of(f.key).isOneTime ? 1 : 0, 0, 0, 0)
        }, name: { c in
            Cell(team: costs.teams[Int(c[0])], product: costs.products[Int(c[1])], service: cube.tables[Dimension.service.rawValue][Int(c[2])],
                 account: cube.tables[Dimension.subAccount.rawValue][Int(c[3])], oneTime: c[4] == 1)
        })
        var contributions: [BridgeContribution] = []
        // Run-rate actual per team, to compare with its target.
        var runRate: [String: Amount] = [:]
        for (c, m) in actual where !c.oneTime { runRate[c.team, default: .zero] += m.cost(basis) }
        for (c, m) in actual.sorted(by: { ($0.key.team, $0.key.service, $0.key.account, $0.key.product) < ($1.key.team, $1.key.service, $1.key.account, $1.key.product) }) {
            let a = m.cost(basis)
            let driver: DriverKind
            if c.oneTime { driver = .oneTime }
            else if teamTargets[c.team] == nil { driver = .noTarget }
            else { continue }   // targeted teams are compared as a whole below
            contributions.append(BridgeContribution(team: c.team, product: c.product, service: c.service, account: c.account,
                                                    prior: .zero, current: a, drivers: [driver: a]))
        }
        for (team, target) in teamTargets.sorted(by: { $0.key < $1.key }) {
            let a = runRate[team] ?? .zero
            let variance = a - target
            contributions.append(BridgeContribution(team: team, product: "", service: "", account: "", prior: target, current: a,
                                                    drivers: [variance > .zero ? .teamsOverTarget : .teamsUnderTarget: variance]))
        }
        let teamSum = teamTargets.values.reduce(Amount.zero, +)
        let start = totalTarget ?? teamSum
        if !(start - teamSum).isZero {
            contributions.append(BridgeContribution(team: "(organisation)", product: "", service: "", account: "", prior: start - teamSum, current: .zero,
                                                    drivers: [.unassignedTarget: teamSum - start]))
        }
        let end = q.total(window).cost(basis)
        let bridge = Bridge.from(contributions, kind: kind, start: start, end: end, startLabel: startLabel, endLabel: endLabel,
                                 kinds: [.oneTime, .noTarget, .unassignedTarget, .teamsOverTarget, .teamsUnderTarget, .unexplained])
        return (bridge, contributions)
    }
}

/// Monthly targets (forecasts) summed over a window of days; a month only partly inside the
/// window counts in proportion to its days inside: amount × days inside ÷ days in the month,
/// rounded once, half-even, to 10⁻¹⁵ (as `BudgetVariance` pro-rates budgets).
public enum TargetWindow {
    public static func amount(_ monthly: [Month: Amount], window: ClosedRange<Day>) -> Amount {
        var total = Amount.zero
        for (month, a) in monthly {
            let lo = max(month.firstDay, window.lowerBound), hi = min(month.lastDay, window.upperBound)
            guard lo <= hi else { continue }
            let inside = lo.distance(to: hi) + 1
            if inside == month.dayCount { total += a; continue }
            total += Amount.mulDiv(a, Amount(whole: inside), Amount(whole: month.dayCount)) ?? .zero
        }
        return total
    }
}
