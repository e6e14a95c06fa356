/// Splits each anomaly's change over account, region, resource and charge category, in one pass
/// over the facts of the series that have anomalies.
///
/// For a dimension value v and an anomaly day t with reference days R(t) (the same days as the
/// series' baseline): expected_v = Σₜ median_{r ∈ R(t)} cost_v(r), actual_v = Σₜ cost_v(t), and
/// v's part of the change is actual_v − expected_v.
struct RootCauseSplit {
    struct Result {
        var causes: [AnomalyDetector.RootCause]
        var resourcesAvailable: Bool
        var accounts: [String]
    }

    /// Per anomaly: the first offset it needs (its earliest reference day), and per dimension the
    /// daily cost of each value from that offset through its last day.
    private struct Accumulator {
        var from: Int
        var through: Int
        var days: ClosedRange<Int>
        var byDimension: [[Int32: [Int128]]]
        var present: [Set<Int32>]
        var resourceSeen = false
    }

    private var accumulators: [Accumulator]
    private let found: [AnomalyDetector.Run]
    private let references: [[Int]?]
    private let cube: CostCube
    private let settings: AnomalyDetector.Settings

    init(found: [AnomalyDetector.Run], seriesIndex: [AnomalyDetector.SeriesKey: Int], references: [[Int]?], origin: Day,
         query q: FactQuery, basis: CostBasis, settings: AnomalyDetector.Settings) {
        self.found = found
        self.references = references
        self.cube = q.costs.cube
        self.settings = settings
        let dims = AnomalyDetector.Breakdown.allCases
        var accumulators: [Accumulator] = []
        var bySeries: [Int: [Int]] = [:]
        var lowest = Int.max, highest = Int.min
        for (i, a) in found.enumerated() {
            var from = a.first
            for t in a.first...a.last { if let r = references[t], let m = r.min() { from = min(from, m) } }
            accumulators.append(Accumulator(from: from, through: a.last, days: a.first...a.last,
                                            byDimension: Array(repeating: [:], count: dims.count), present: Array(repeating: [], count: dims.count)))
            bySeries[a.series, default: []].append(i)
            lowest = min(lowest, from); highest = max(highest, a.last)
        }
        self.accumulators = accumulators
        guard !found.isEmpty else { return }
        var excluded = AnomalyExclusions(excludeRecurring: settings.excludeRecurring)
        let cube = q.costs.cube
        for f in q.facts(in: origin.advanced(by: lowest)...origin.advanced(by: highest)) {
            guard let s = seriesIndex[AnomalyDetector.SeriesKey(team: f.team, service: f.key[.service])], let list = bySeries[s],
                  !excluded.isExcluded(f.key, cube) else { continue }
            let t = origin.distance(to: f.day)
            let cost = f.measures.cost(basis).units
            for i in list {
                let from = self.accumulators[i].from
                guard t >= from && t <= self.accumulators[i].through else { continue }
                let width = self.accumulators[i].through - from + 1
                for (d, dim) in dims.enumerated() {
                    let v = f.key[dim.cubeDimension]
                    if dim == .resource {
                        if v == 0 { continue }
                        self.accumulators[i].resourceSeen = true
                    }
                    if self.accumulators[i].byDimension[d][v] == nil {
                        self.accumulators[i].byDimension[d][v] = Array(repeating: 0, count: width)
                    }
                    self.accumulators[i].byDimension[d][v]![t - from] += cost
                    if self.accumulators[i].days.contains(t) { self.accumulators[i].present[d].insert(v) }
                }
            }
        }
    }

    /// The split of anomaly `i`, whose impact is `impact`.
    func result(_ i: Int, impact: Amount) -> Result {
        let acc = accumulators[i]
        let a = found[i]
        var causes: [AnomalyDetector.RootCause] = []
        var scratch: [Int128] = []
        var accounts: [String] = []
        for (d, dim) in AnomalyDetector.Breakdown.allCases.enumerated() {
            let table = cube.tables[dim.cubeDimension.rawValue]
            var parts: [AnomalyDetector.RootCause] = []
            for (v, daily) in acc.byDimension[d] {
                var actual: Int128 = 0, expected: Int128 = 0
                for t in a.first...a.last {
                    actual += daily[t - acc.from]
                    if let refs = references[t] {
                        expected += RobustBaseline.median(at: refs, { daily[$0 - acc.from] }, scratch: &scratch)
                    }
                }
                let value = table[Int(v)]
                if dim == .account && acc.present[d].contains(v) { accounts.append(value) }
                let part = Amount(units: actual - expected)
                if part.isZero { continue }
                parts.append(.init(dimension: dim, value: value, label: label(dim, value), actual: Amount(units: actual),
                                   expected: Amount(units: expected), impact: part, share: Formatter.share(part, of: impact)))
            }
            parts.sort { x, y in
                if x.impact.magnitude != y.impact.magnitude { return x.impact.magnitude > y.impact.magnitude }
                return x.value < y.value
            }
            causes += parts.prefix(max(0, settings.rootCausesPerDimension))
        }
        return Result(causes: causes, resourcesAvailable: acc.resourceSeen, accounts: accounts.sorted())
    }

    private func label(_ dim: AnomalyDetector.Breakdown, _ value: String) -> String {
        if value.isEmpty { return "(none)" }
        if dim == .account, let name = cube.accountNames[value], !name.isEmpty, name != value { return "\(name) (\(value))" }
        return value
    }
}
