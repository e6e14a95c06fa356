/// How much of a period's cost reached a team, before and after shared-cost allocation, what is
/// left unallocated (by resource), and how well the mandatory tags are applied.
public struct AllocationCoverage: Sendable {
    public var total: Amount
    /// Cost by how it reached its team.
    public var bySource: [AllocationSource: Amount]
    /// Gross cost (Σ|cost| over facts, so credits cannot push a share past 100 %) by source.
    public var grossBySource: [AllocationSource: Amount]
    public var grossTotal: Amount
    /// Direct (rule, tag, account) gross cost / gross total.
    public var before: Double?
    /// (Direct + shared) gross cost / gross total.
    public var after: Double?
    public var unallocatedDrivers: [UnallocatedDriver]
    public var compliance: [TagCompliance]

    public struct UnallocatedDriver: Sendable {
        public var resource: String
        public var service: String
        public var account: String
        public var cost: Amount
    }

    /// Share of gross spend (Σ|cost|) carrying a mandatory tag, overall and by team and by account.
    public struct TagCompliance: Sendable {
        public var key: String
        public var share: Double?
        public var byTeam: [String: Double]
        public var byAccount: [String: Double]
    }

    public init(_ q: FactQuery, period: ReportingPeriod, basis: CostBasis, allocator: Allocator, mandatoryTags: [String], limit: Int = 20) {
        let costs = q.costs
        let cube = costs.cube
        // By source ordinal; nil: no fact of that source. Gross is Σ|cost| over daily facts.
        var netBySource = [Amount?](repeating: nil, count: AllocationSource.allCases.count)
        var grossBySourceOrdinal = netBySource
        for f in q.facts(in: period.days) {
            let c = f.measures.cost(basis), s = Int(f.source.ordinal)
            netBySource[s] = (netBySource[s] ?? .zero) + c
            grossBySourceOrdinal[s] = (grossBySourceOrdinal[s] ?? .zero) + c.magnitude
        }
        var net: [AllocationSource: Amount] = [:], gross: [AllocationSource: Amount] = [:]
        for source in AllocationSource.allCases {
            if let n = netBySource[Int(source.ordinal)] { net[source] = n }
            if let g = grossBySourceOrdinal[Int(source.ordinal)] { gross[source] = g }
        }
        bySource = net
        grossBySource = gross
        total = AllocationSource.allCases.reduce(.zero) { $0 + (net[$1] ?? .zero) }
        grossTotal = AllocationSource.allCases.reduce(.zero) { $0 + (gross[$1] ?? .zero) }
        let direct = (gross[.rule] ?? .zero) + (gross[.tag] ?? .zero) + (gross[.account] ?? .zero)
        let shared = gross[.shared] ?? .zero
        before = Formatter.share(direct, of: grossTotal)
        after = Formatter.share(direct + shared, of: grossTotal)

        // Untagged resources that no rule or mapping placed either.
        let months = Set(period.quarter.months.map { Int32($0.ordinal) })
        let matcher = ScopeMatcher(cube: cube)
        var drivers: [String: UnallocatedDriver] = [:]
        var memo: [CubeKey: Bool] = [:]
        for (key, m) in cube.untaggedResources where months.contains(key.time) {
            // The resource cell's month must fall inside the period window (quarter to date: by month).
            let month = Month(ordinal: Int(key.time))
            guard month.firstDay <= period.days.upperBound else { continue }
            var timeless = key; timeless.time = 0; timeless[.resource] = 0
            let unallocated: Bool
            if let u = memo[timeless] { unallocated = u } else {
                unallocated = allocator.assign(key, in: cube, matcher: matcher) == .unallocated
                memo[timeless] = unallocated
            }
            guard unallocated else { continue }
            let resource = cube.value(.resource, of: key)
            let service = cube.value(.service, of: key), account = cube.value(.subAccount, of: key)
            let id = "\(resource)\u{1}\(service)\u{1}\(account)"
            drivers[id, default: UnallocatedDriver(resource: resource.isEmpty ? "(no resource id)" : resource, service: service, account: account, cost: .zero)].cost += m.cost(basis)
        }
        unallocatedDrivers = Array(drivers.values.filter { !$0.cost.isZero }
            .sorted { $0.cost != $1.cost ? $0.cost > $1.cost : ($0.resource, $0.service, $0.account) < ($1.resource, $1.service, $1.account) }
            .prefix(limit))

        // Tag compliance: overall and by account over every dollar (pooled cost is line items
        // too); by team without shared splits, which a recipient team did not tag or not.
        struct K: Hashable { var tagged: Bool; var team: String?; var account: String }
        compliance = mandatoryTags.map { tag in
            let key = tag.lowercased()
            // Whether each tag profile (by index) carries the tag.
            let tagged = cube.tagProfiles.map { $0.tags[key] != nil }
            let sums = q.sum(period.days, code: { f in
                GroupCode(tagged[Int(f.key[.tagProfile])] ? 1 : 0, f.source == .shared ? -1 : f.team, f.key[.subAccount], 0, 0, 0, 0, 0)
            }, name: { c in
                K(tagged: c[0] == 1, team: c[1] < 0 ? nil : costs.teams[Int(c[1])], account: cube.tables[Dimension.subAccount.rawValue][Int(c[2])])
            })
            // Exact sums first (dictionary order must not change the result), one division last.
            var all = (Amount.zero, Amount.zero)
            var team: [String: (Amount, Amount)] = [:], account: [String: (Amount, Amount)] = [:]
            for (k, m) in sums {
                let c = m.cost(basis).magnitude
                all.1 += c; account[k.account, default: (.zero, .zero)].1 += c
                if let t = k.team { team[t, default: (.zero, .zero)].1 += c }
                if k.tagged {
                    all.0 += c; account[k.account, default: (.zero, .zero)].0 += c
                    if let t = k.team { team[t, default: (.zero, .zero)].0 += c }
                }
            }
            func share(_ p: (Amount, Amount)) -> Double? { Formatter.share(p.0, of: p.1) }
            return TagCompliance(key: tag, share: share(all), byTeam: team.compactMapValues(share), byAccount: account.compactMapValues(share))
        }
    }
}

