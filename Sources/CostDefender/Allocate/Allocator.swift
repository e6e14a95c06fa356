/// Assigns every cube cell to a team (rules, then team tags, then the account mapping) or to a
/// shared pool, then splits each pool's cells over the pool's recipients month by month.
public struct Allocator {
    public var config: Configuration.Allocation
    public var costBasis: CostBasis
    public var metrics: [MetricValue]

    public init(config: Configuration.Allocation, costBasis: CostBasis, metrics: [MetricValue] = []) {
        self.config = config; self.costBasis = costBasis; self.metrics = metrics
    }

    /// Where a cell goes before sharing.
    public enum Assignment: Hashable, Sendable {
        case team(String, AllocationSource)
        case pool(Int)
        case unallocated
    }

    /// The assignment of one cell (its time is ignored).
    public func assign(_ key: CubeKey, in cube: CostCube, matcher: ScopeMatcher) -> Assignment {
        for rule in config.rules where matcher.matches(key, rule.conditions) {
            switch rule.target {
            case .team(let t): return .team(t, .rule)
            case .pool(let p): return .pool(config.pools.firstIndex { $0.name == p } ?? 0)
            }
        }
        let tags = cube.tags(of: key).tags
        for k in config.teamTags {
            if let v = tags[k.lowercased()] {
                let trimmed = v.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                return .team(config.teamAliases[trimmed] ?? trimmed, .tag)
            }
        }
        let account = cube.value(.subAccount, of: key)
        if let t = config.accounts[account] { return .team(t, .account) }
        let billing = cube.value(.billingAccount, of: key)
        if let t = config.accounts[billing] { return .team(t, .account) }
        return .unallocated
    }

    /// The product of a cell, from the product tags.
    func product(_ key: CubeKey, in cube: CostCube) -> String {
        let tags = cube.tags(of: key).tags
        for k in config.productTags { if let v = tags[k.lowercased()], !v.isEmpty { return v } }
        return AllocatedCosts.noProduct
    }

    /// Where a cell's cost goes, with its team already an index into `AllocatedCosts.teams`.
    private enum Route {
        case team(Int32, AllocationSource)
        case pool(Int)
        case unallocated
    }

    /// Walks the cube's cells in `SortedCells` order, so team and product indices are given in
    /// order of first sight along that walk and the result never depends on dictionary order.
    /// A cell's route and product depend only on its dimensions, so they are worked out once per
    /// distinct time-less key (`CubeKeyIndex` gives those dense ids) and kept in arrays.
    public func allocate(_ cube: CostCube) -> AllocatedCosts {
        let matcher = ScopeMatcher(cube: cube)
        var teamIndex: [String: Int32] = [AllocatedCosts.unallocatedTeam: 0]
        var teams = [AllocatedCosts.unallocatedTeam]
        var productIndex: [String: Int32] = [:]
        var products: [String] = []
        func teamId(_ t: String) -> Int32 {
            if let i = teamIndex[t] { return i }
            let i = Int32(teams.count); teams.append(t); teamIndex[t] = i; return i
        }
        func productId(_ p: String) -> Int32 {
            if let i = productIndex[p] { return i }
            let i = Int32(products.count); products.append(p); productIndex[p] = i; return i
        }
        let cells = SortedCells(cube.daily)
        // Months are slots counted from the first cell's month (cells are in time order).
        let firstMonth = cells.count > 0 ? Day(index: cells.key(0).time).month.ordinal : 0
        let monthCount = cells.count > 0 ? Day(index: cells.key(cells.count - 1).time).month.ordinal - firstMonth + 1 : 0
        var timeless = CubeKeyIndex()
        var routes: [(route: Route, product: Int32)] = []
        var facts: [CostFact] = []
        facts.reserveCapacity(cells.count)
        // Pool cells as (cell index, product, month slot), in cell order.
        var poolCells: [[(cell: Int, product: Int32, month: Int)]] = Array(repeating: [], count: config.pools.count)
        // Direct cost by month slot and team index (nil: no direct fact), the basis of
        // proportional splits.
        var direct: [[Amount?]] = Array(repeating: [], count: monthCount)
        var time = Int32.min, month = 0
        for i in 0..<cells.count {
            let key = cells.key(i), m = cells.measures(i)
            if key.time != time { time = key.time; month = Day(index: time).month.ordinal - firstMonth }
            var dimensions = key
            dimensions.time = 0
            let id = Int(timeless.id(of: dimensions))
            if id == routes.count {
                let route: Route
                switch assign(key, in: cube, matcher: matcher) {
                case .team(let t, let source): route = .team(teamId(t), source)
                case .pool(let p): route = .pool(p)
                case .unallocated: route = .unallocated
                }
                routes.append((route, productId(self.product(key, in: cube))))
            }
            let (route, product) = routes[id]
            switch route {
            case .team(let team, let source):
                facts.append(CostFact(key: key, team: team, product: product, source: source, pool: -1, measures: m))
                let t = Int(team)
                if direct[month].count <= t { direct[month].append(contentsOf: repeatElement(nil, count: t + 1 - direct[month].count)) }
                direct[month][t] = (direct[month][t] ?? .zero) + m.cost(costBasis)
            case .pool(let p):
                poolCells[p].append((i, product, month))
            case .unallocated:
                facts.append(CostFact(key: key, team: 0, product: product, source: .unallocated, pool: -1, measures: m))
            }
        }
        let directFacts = facts.count
        // Recipients named in config exist as teams even without direct cost.
        for pool in config.pools { for r in pool.recipients { _ = teamId(r) } }
        for pool in config.pools { if case .fixed(let w) = pool.split { for k in w.keys.sorted() { _ = teamId(k) } } }

        var orphans: [(String, Month, Amount)] = []
        for (p, pool) in config.pools.enumerated() {
            var weightsByMonth: [[(Int32, Int128)]?] = Array(repeating: nil, count: monthCount)
            for (cell, product, month) in poolCells[p] {
                let key = cells.key(cell), m = cells.measures(cell)
                let weights: [(Int32, Int128)]
                if let w = weightsByMonth[month] { weights = w } else {
                    weights = self.weights(pool, month: Month(ordinal: firstMonth + month), direct: direct[month], teamId: teamId)
                    weightsByMonth[month] = weights
                }
                if weights.isEmpty {
                    facts.append(CostFact(key: key, team: 0, product: product, source: .unallocated, pool: Int32(p), measures: m))
                    orphans.append((pool.name, Month(ordinal: firstMonth + month), m.cost(costBasis)))
                    continue
                }
                for (team, share) in Self.split(m, weights: weights) {
                    facts.append(CostFact(key: key, team: team, product: product, source: .shared, pool: Int32(p), measures: share))
                }
            }
        }
        // Shared facts were appended after the direct ones: restore day order (stable, so the
        // order within a day stays deterministic). The direct facts alone are in day order
        // already (cells are walked in time order).
        if facts.count > directFacts { facts = Self.inDayOrder(facts) }
        var merged: [String: (String, Month, Amount)] = [:]
        for (p, m, a) in orphans { merged["\(p)|\(m)", default: (p, m, .zero)].2 += a }
        return AllocatedCosts(cube: cube, teams: teams, products: products, facts: facts,
                              orphanPools: merged.keys.sorted().map { let v = merged[$0]!; return (v.0, v.1, v.2) })
    }

    /// `facts` stably sorted by day: a counting sort, so facts of the same day keep their order.
    static func inDayOrder(_ facts: [CostFact]) -> [CostFact] {
        guard let first = facts.first else { return facts }
        var lo = first.key.time, hi = first.key.time
        for f in facts { lo = min(lo, f.key.time); hi = max(hi, f.key.time) }
        // starts[d] is where day lo + d begins in the result.
        var starts = [Int](repeating: 0, count: Int(hi - lo) + 2)
        for f in facts { starts[Int(f.key.time - lo) + 1] += 1 }
        for d in 1..<starts.count { starts[d] += starts[d - 1] }
        var order = [Int](repeating: 0, count: facts.count)
        for (i, f) in facts.enumerated() {
            let d = Int(f.key.time - lo)
            order[starts[d]] = i
            starts[d] += 1
        }
        return order.map { facts[$0] }
    }

    /// Recipient weights for a pool in a month, as non-negative integers, sorted by team index.
    /// `direct` is the month's direct cost by team index (nil: the team had no direct fact).
    /// Empty when nobody can receive. Σ weights = 0 falls back to an even split.
    func weights(_ pool: SharedPool, month: Month, direct: [Amount?], teamId: (String) -> Int32) -> [(Int32, Int128)] {
        func directCost(_ team: Int32) -> Amount? { Int(team) < direct.count ? direct[Int(team)] : nil }
        let candidates: [Int32] = pool.recipients.isEmpty
            ? direct.indices.filter { $0 != 0 && direct[$0] != nil }.map { Int32($0) }
            : pool.recipients.map(teamId).sorted()
        if candidates.isEmpty { return [] }
        var w: [(Int32, Int128)]
        switch pool.split {
        case .even:
            w = candidates.map { ($0, 1) }
        case .fixed(let weights):
            // Weights to 12 decimals as integers; only their ratios matter.
            w = weights.keys.sorted().map { (teamId($0), Int128((weights[$0]! * 1e12).rounded())) }.sorted { $0.0 < $1.0 }
        case .proportionalToDirectCost:
            w = candidates.map { ($0, max(0, directCost($0)?.units ?? 0)) }
        case .proportionalToMetric(let name):
            let byTeam = metrics.filter { $0.metric == name && $0.month == month && $0.team != nil }
            var values: [Int32: Int128] = [:]
            for v in byTeam { values[teamId(v.team!), default: 0] += max(0, v.value.units) }
            w = candidates.map { ($0, values[$0] ?? 0) }
        }
        if w.allSatisfy({ $0.1 == 0 }) { w = w.map { ($0.0, 1) } }
        return w
    }

    /// Splits every measure of `m` over `weights` exactly: floor shares, remainder to the
    /// recipient with the largest weight (lowest team index on ties).
    static func split(_ m: CostMeasures, weights: [(Int32, Int128)]) -> [(Int32, CostMeasures)] {
        let total = weights.reduce(Int128(0)) { $0 + $1.1 }
        var largest = 0
        for (i, w) in weights.enumerated() where w.1 > weights[largest].1 { largest = i }
        func parts(_ a: Amount) -> [Amount] {
            var out = weights.map { w -> Amount in
                let (q, _) = total.dividingFullWidth(a.units.multipliedFullWidth(by: w.1))
                return Amount(units: q)
            }
            let assigned = out.reduce(Amount.zero, +)
            out[largest] += a - assigned
            return out
        }
        let billed = parts(m.billed), effective = parts(m.effective), list = parts(m.list), contracted = parts(m.contracted)
        let consumed = parts(m.consumedQuantity), pricing = parts(m.pricingQuantity)
        return weights.enumerated().map { i, w in
            var s = CostMeasures()
            s.billed = billed[i]; s.effective = effective[i]; s.list = list[i]; s.contracted = contracted[i]
            s.consumedQuantity = consumed[i]; s.pricingQuantity = pricing[i]
            s.rows = i == largest ? m.rows : 0
            return (w.0, s)
        }.filter { $0.1.rows > 0 || !$0.1.billed.isZero || !$0.1.effective.isZero || !$0.1.list.isZero || !$0.1.contracted.isZero }
    }
}

import Foundation
