/// Decomposes the change between two windows (the comparison window and the period) into
/// drivers, cell by cell. How each driver is computed, and why they cannot double-count, is in
/// docs/variance.md; in short, every fact falls in exactly one of three disjoint families —
/// one-time charges, shared-pool splits, direct run-rate spend — and within a family each
/// cell's change is split by an exact identity whose parts sum to that cell's change.
public struct QuarterBridge: Sendable {
    public var contributions: [BridgeContribution]
    public var bridge: Bridge

    public static let kinds: [DriverKind] = [.volume, .efficiency, .rate, .verifiedSavings, .new, .retired, .purchases, .credits, .refunds,
                                             .corrections, .sharedPoolSpend, .allocation, .unexplained]

    /// - Parameters:
    ///   - volumeDrivers: team → metric values by month (the team's business driver).
    ///   - savings: verified ledger findings: owning team and the saving realised in the period and
    ///     in its comparison window. Their change is carved out of the rate driver (where a
    ///     realised saving shows up) into its own driver, so the bridge stays exact.
    public init(_ q: FactQuery, period: ReportingPeriod, basis: CostBasis, volumeDrivers: [String: [Month: Amount]],
                savings: [(team: String, prior: Amount, current: Amount)] = []) {
        let costs = q.costs
        let cube = costs.cube
        let prior = period.comparison, current = period.days

        struct Cell: Hashable { var team: Int32; var product: Int32; var provider, billing, account, service, region: Int32; var pool: Int32; var kind: ChargeKind }
        struct Values {
            var r0 = Amount.zero, r1 = Amount.zero, u0 = Amount.zero, u1 = Amount.zero
            /// Adds a fact's cost and list cost to the current (or the prior) window.
            mutating func add(cost c: Amount, list l: Amount, current: Bool) {
                if current { r1 += c; u1 += l } else { r0 += c; u0 += l }
            }
        }
        var cells: [Cell: Values] = [:]
        let kinds = ChargeKinds(cube)
        for (window, isCurrent) in [(prior, false), (current, true)] {
            q.forEachRow(in: window) { f, _ in
                let k = f.key
                let cell = Cell(team: f.team, product: f.product, provider: k[.provider], billing: k[.billingAccount], account: k[.subAccount],
                                service: k[.service], region: k[.region], pool: f.source == .shared ? f.pool : -1, kind: kinds.of(k))
                let c = f.measures.cost(basis), l = f.measures.list
                cells[cell, default: Values()].add(cost: c, list: l, current: isCurrent)
            }
        }

        var out: [BridgeContribution] = []
        func contribution(_ c: Cell, _ v: Values, _ drivers: [DriverKind: Amount]) -> BridgeContribution {
            BridgeContribution(team: costs.teams[Int(c.team)], product: costs.products[Int(c.product)],
                               service: cube.tables[Dimension.service.rawValue][Int(c.service)],
                               account: cube.tables[Dimension.subAccount.rawValue][Int(c.account)],
                               prior: v.r0, current: v.r1, drivers: drivers)
        }

        // 1. One-time charges: the whole change of the cell is its kind's driver.
        for (c, v) in cells {
            if case .oneTime(let kind) = c.kind { out.append(contribution(c, v, [kind: v.r1 - v.r0])) }
        }

        // 2. Shared pools: the pool's spend change at the prior weight, and the weight change.
        struct PoolKey: Hashable { var pool, provider, billing, account, service, region, product: Int32 }
        var poolTotals: [PoolKey: (Amount, Amount)] = [:]
        for (c, v) in cells where c.kind == .runRate && c.pool >= 0 {
            let pk = PoolKey(pool: c.pool, provider: c.provider, billing: c.billing, account: c.account, service: c.service, region: c.region, product: c.product)
            poolTotals[pk, default: (.zero, .zero)].0 += v.r0
            poolTotals[pk, default: (.zero, .zero)].1 += v.r1
        }
        for (c, v) in cells where c.kind == .runRate && c.pool >= 0 {
            let pk = PoolKey(pool: c.pool, provider: c.provider, billing: c.billing, account: c.account, service: c.service, region: c.region, product: c.product)
            let (s0, s1) = poolTotals[pk]!
            let change = v.r1 - v.r0
            // Spend change at the prior weight: A0·(S1 − S0)/S0.
            let spend = Amount.mulDiv(v.r0, s1 - s0, s0) ?? change
            out.append(contribution(c, v, [.sharedPoolSpend: spend, .allocation: change - spend]))
        }

        // 3. Direct run-rate spend, by cost key (provider, accounts, service, region).
        struct CostKey: Hashable { var provider, billing, account, service, region: Int32 }
        var byKey: [CostKey: [(Cell, Values)]] = [:]
        for (c, v) in cells where c.kind == .runRate && c.pool < 0 {
            byKey[CostKey(provider: c.provider, billing: c.billing, account: c.account, service: c.service, region: c.region), default: []].append((c, v))
        }
        let teamVolumes = Self.quarterVolumes(volumeDrivers, prior: prior, current: current)
        for key in byKey.keys.sorted(by: { ($0.provider, $0.billing, $0.account, $0.service, $0.region) < ($1.provider, $1.billing, $1.account, $1.service, $1.region) }) {
            var group = byKey[key]!.sorted { ($0.0.team, $0.0.product) < ($1.0.team, $1.0.product) }
            // Re-tagging: cost that left teams which disappeared from this cost key and reached
            // teams that appeared in it is restated to the new owners as an allocation change.
            let gone = group.indices.filter { group[$0].1.r1.isZero && !group[$0].1.r0.isZero && group[$0].1.r0 > .zero }
            let came = group.indices.filter { group[$0].1.r0.isZero && group[$0].1.r1 > .zero }
            var allocation = [Amount](repeating: .zero, count: group.count)
            if !gone.isEmpty && !came.isEmpty {
                let left = gone.reduce(Amount.zero) { $0 + group[$1].1.r0 }
                let arrived = came.reduce(Amount.zero) { $0 + group[$1].1.r1 }
                let moved = min(left, arrived)
                let leftList = gone.reduce(Amount.zero) { $0 + group[$1].1.u0 }
                let movedList = Amount.mulDiv(leftList, moved, left) ?? .zero
                // Take `moved` from the teams that left, in proportion, exactly.
                let takes = Self.shares(moved, by: gone.map { group[$0].1.r0 })
                for (i, idx) in gone.enumerated() { allocation[idx] -= takes[i]; group[idx].1.r0 -= takes[i] }
                let listTakes = Self.shares(movedList, by: gone.map { group[$0].1.u0 })
                for (i, idx) in gone.enumerated() { group[idx].1.u0 -= listTakes[i] }
                let gives = Self.shares(moved, by: came.map { group[$0].1.r1 })
                let listGives = Self.shares(movedList, by: came.map { group[$0].1.r1 })
                for (i, idx) in came.enumerated() { allocation[idx] += gives[i]; group[idx].1.r0 += gives[i]; group[idx].1.u0 += listGives[i] }
            }
            for (i, (c, restated)) in group.enumerated() {
                let original = cells[c]!
                var drivers: [DriverKind: Amount] = [:]
                if !allocation[i].isZero { drivers[.allocation] = allocation[i] }
                for (k, a) in Self.decompose((restated.r0, restated.r1, restated.u0, restated.u1), volume: teamVolumes[costs.teams[Int(c.team)]]) { drivers[k, default: .zero] += a }
                out.append(contribution(c, original, drivers))
            }
        }
        for s in savings where s.current != s.prior {
            let costEffect = s.prior - s.current   // a larger saving lowers cost
            out.append(BridgeContribution(team: s.team, product: "", service: "", account: "", prior: .zero, current: .zero,
                                          drivers: [.verifiedSavings: costEffect, .rate: .zero - costEffect]))
        }
        contributions = out
        let start = q.total(prior).cost(basis), end = q.total(current).cost(basis)
        bridge = Bridge.from(out, kind: .quarterOverQuarter, start: start, end: end,
                             startLabel: period.quarter.previous.description + (period.isComplete ? "" : " (same days)"),
                             endLabel: period.quarter.description + (period.isComplete ? "" : " to date"), kinds: Self.kinds)
    }

    /// One continuing, new or retired run-rate cell: R = V·(U/V)·d with V the business driver,
    /// U the usage valued at list price and d = R/U the effective-to-list ratio. Each effect is
    /// an exact a·b/c of decimal amounts (one rounding to 10⁻¹⁵); the last takes the remainder.
    static func decompose(_ v: (r0: Amount, r1: Amount, u0: Amount, u1: Amount), volume: (Amount, Amount)?) -> [DriverKind: Amount] {
        let change = v.r1 - v.r0
        if change.isZero { return [:] }
        if v.r0.isZero { return [.new: change] }
        if v.r1.isZero { return [.retired: change] }
        let hasUsage = v.u0 > .zero && v.u1 > .zero
        if let (v0, v1) = volume, v0 > .zero, v1 > .zero, let atNewVolume = Amount.mulDiv(v.r0, v1, v0) {
            // volume = R0·V1/V0 − R0
            let volumeEffect = atNewVolume - v.r0
            // efficiency = (U1 − U0·V1/V0)·R0/U0 = R0·U1/U0 − R0·V1/V0
            guard hasUsage, let atNewUsage = Amount.mulDiv(v.r0, v.u1, v.u0) else {
                return [.volume: volumeEffect, .efficiency: change - volumeEffect]
            }
            let efficiency = atNewUsage - atNewVolume
            // rate = (R1/U1 − R0/U0)·U1 = R1 − R0·U1/U0: the remainder.
            return [.volume: volumeEffect, .efficiency: efficiency, .rate: change - volumeEffect - efficiency]
        }
        guard hasUsage, let atNewUsage = Amount.mulDiv(v.r0, v.u1, v.u0) else { return [.unexplained: change] }
        // usage = (U1 − U0)·R0/U0; rate = the remainder R1 − R0·U1/U0.
        let usage = atNewUsage - v.r0
        return [.volume: usage, .rate: change - usage]
    }

    /// Metric totals per team over each window (months whose first day lies in the window).
    static func quarterVolumes(_ drivers: [String: [Month: Amount]], prior: ClosedRange<Day>, current: ClosedRange<Day>) -> [String: (Amount, Amount)] {
        drivers.mapValues { months in
            let v0 = months.filter { prior.contains($0.key.firstDay) }.values.reduce(Amount.zero, +)
            let v1 = months.filter { current.contains($0.key.firstDay) }.values.reduce(Amount.zero, +)
            return (v0, v1)
        }
    }

    /// Splits `total` over `weights` (non-negative) exactly; the remainder goes to the largest.
    static func shares(_ total: Amount, by weights: [Amount]) -> [Amount] {
        let w = weights.map { max(Int128(0), $0.units) }
        let sum = w.reduce(0, +)
        if sum == 0 { return weights.enumerated().map { $0.offset == 0 ? total : .zero } }
        var out = w.map { Amount(units: sum.dividingFullWidth(total.units.multipliedFullWidth(by: $0)).quotient) }
        var largest = 0
        for i in w.indices where w[i] > w[largest] { largest = i }
        out[largest] += total - out.reduce(.zero, +)
        return out
    }
}
