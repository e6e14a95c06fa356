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
        var memo: [CubeKey: (Assignment, Int32)] = [:]
        var facts: [CostFact] = []
        var poolCells: [[(CubeKey, Int32, CostMeasures)]] = Array(repeating: [], count: config.pools.count)
        // Direct cost by month and team, the basis of proportional splits.
        var direct: [Month: [Int32: Amount]] = [:]

        // Deterministic order: sort keys by time then dimensions.
        let keys = cube.daily.keys.sorted { a, b in
            if a.time != b.time { return a.time < b.time }
            for i in 0..<15 where a.storage[i] != b.storage[i] { return a.storage[i] < b.storage[i] }
            return false
        }
        for key in keys {
            let m = cube.daily[key]!
            var timeless = key
            timeless.time = 0
            let (assignment, product): (Assignment, Int32)
            if let cached = memo[timeless] { (assignment, product) = cached } else {
                let a = assign(key, in: cube, matcher: matcher)
                let p = productId(self.product(key, in: cube))
                memo[timeless] = (a, p)
                (assignment, product) = (a, p)
            }
            switch assignment {
            case .team(let t, let source):
                let id = teamId(t)
                facts.append(CostFact(key: key, team: id, product: product, source: source, pool: -1, measures: m))
                direct[Day(index: key.time).month, default: [:]][id, default: .zero] += m.cost(costBasis)
            case .pool(let p):
                poolCells[p].append((key, product, m))
            case .unallocated:
                facts.append(CostFact(key: key, team: 0, product: product, source: .unallocated, pool: -1, measures: m))
            }
        }
        // Recipients named in config exist as teams even without direct cost.
        for pool in config.pools { for r in pool.recipients { _ = teamId(r) } }
        for pool in config.pools { if case .fixed(let w) = pool.split { for k in w.keys.sorted() { _ = teamId(k) } } }

        var orphans: [(String, Month, Amount)] = []
        for (p, pool) in config.pools.enumerated() {
            var weightsByMonth: [Month: [(Int32, Int128)]] = [:]
            for (key, product, m) in poolCells[p] {
                let month = Day(index: key.time).month
                let weights: [(Int32, Int128)]
                if let w = weightsByMonth[month] { weights = w } else {
                    weights = self.weights(pool, month: month, direct: direct[month] ?? [:], teamId: teamId)
                    weightsByMonth[month] = weights
                }
                if weights.isEmpty {
                    facts.append(CostFact(key: key, team: 0, product: product, source: .unallocated, pool: Int32(p), measures: m))
                    orphans.append((pool.name, month, m.cost(costBasis)))
                    continue
                }
                for (team, share) in Self.split(m, weights: weights) {
                    facts.append(CostFact(key: key, team: team, product: product, source: .shared, pool: Int32(p), measures: share))
                }
            }
        }
        // Shared facts were appended after the direct ones: restore day order (stable, so the
        // order within a day stays deterministic).
        facts = facts.enumerated().sorted { ($0.element.key.time, $0.offset) < ($1.element.key.time, $1.offset) }.map(\.element)
        var merged: [String: (String, Month, Amount)] = [:]
        for (p, m, a) in orphans { merged["\(p)|\(m)", default: (p, m, .zero)].2 += a }
        return AllocatedCosts(cube: cube, teams: teams, products: products, facts: facts,
                              orphanPools: merged.keys.sorted().map { let v = merged[$0]!; return (v.0, v.1, v.2) })
    }

    /// Recipient weights for a pool in a month, as non-negative integers, sorted by team index.
    /// Empty when nobody can receive. Σ weights = 0 falls back to an even split.
    func weights(_ pool: SharedPool, month: Month, direct: [Int32: Amount], teamId: (String) -> Int32) -> [(Int32, Int128)] {
        let candidates: [Int32] = pool.recipients.isEmpty
            ? direct.filter { $0.key != 0 }.keys.sorted()
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
            w = candidates.map { ($0, max(0, direct[$0]?.units ?? 0)) }
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
