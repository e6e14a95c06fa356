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

    /// Per anomaly: the first offset it needs (its earliest reference day) through its last day.
    private struct Span {
        var from: Int
        var through: Int
        var days: ClosedRange<Int>
        var resourceSeen = false
    }

    private var spans: [Span]
    /// Dense ids of (anomaly, dimension index, value); per id, the value's daily cost over the
    /// anomaly's span (offset from `from`) and whether it had cost on one of the anomaly's days.
    private var values = DenseKeyIndex<GroupCode>(initialSlots: 256)
    private var daily: [[Int128]] = []
    private var present: [Bool] = []
    /// Per anomaly and dimension index: the ids of its values, in order of first sight.
    private var valueIds: [[[Int]]]
    private let found: [AnomalyDetector.Run]
    private let references: [[Int]?]
    private let cube: CostCube
    private let settings: AnomalyDetector.Settings

    init(found: [AnomalyDetector.Run], seriesIndex: AnomalyDetector.SeriesIndex, references: [[Int]?], origin: Day,
         query q: FactQuery, basis: CostBasis, settings: AnomalyDetector.Settings) {
        self.found = found
        self.references = references
        self.cube = q.costs.cube
        self.settings = settings
        let dims = AnomalyDetector.Breakdown.allCases
        var spans: [Span] = []
        // Anomalies by series id.
        var bySeries = [[Int]](repeating: [], count: seriesIndex.count)
        var lowest = Int.max, highest = Int.min
        for (i, a) in found.enumerated() {
            var from = a.first
            for t in a.first...a.last { if let r = references[t], let m = r.min() { from = min(from, m) } }
            spans.append(Span(from: from, through: a.last, days: a.first...a.last))
            bySeries[a.series].append(i)
            lowest = min(lowest, from); highest = max(highest, a.last)
        }
        self.spans = spans
        valueIds = Array(repeating: Array(repeating: [], count: dims.count), count: found.count)
        guard !found.isEmpty else { return }
        let excluded = AnomalyExclusions(q.costs.cube, excludeRecurring: settings.excludeRecurring)
        // A copy: series first seen here get ids past `seriesIndex.count`, which have no anomaly.
        var series = seriesIndex
        for f in q.facts(in: origin.advanced(by: lowest)...origin.advanced(by: highest)) {
            guard !excluded.isExcluded(f.key) else { continue }
            let s = series.id(of: f)
            guard s < bySeries.count else { continue }
            let t = origin.distance(to: f.day)
            let cost = f.measures.cost(basis).units
            for i in bySeries[s] {
                let span = self.spans[i]
                guard t >= span.from && t <= span.through else { continue }
                for (d, dim) in dims.enumerated() {
                    let v = f.key[dim.cubeDimension]
                    if dim == .resource {
                        if v == 0 { continue }
                        self.spans[i].resourceSeen = true
                    }
                    let id = Int(values.id(of: GroupCode(Int32(i), Int32(d), v, 0, 0, 0, 0, 0)))
                    if id == daily.count {
                        daily.append(Array(repeating: 0, count: span.through - span.from + 1))
                        present.append(false)
                        valueIds[i][d].append(id)
                    }
                    daily[id][t - span.from] += cost
                    if span.days.contains(t) { present[id] = true }
                }
            }
        }
    }

    /// The split of anomaly `i`, whose impact is `impact`.
    func result(_ i: Int, impact: Amount) -> Result {
        let span = spans[i]
        let a = found[i]
        var causes: [AnomalyDetector.RootCause] = []
        var scratch: [Int128] = []
        var accounts: [String] = []
        for (d, dim) in AnomalyDetector.Breakdown.allCases.enumerated() {
            let table = cube.tables[dim.cubeDimension.rawValue]
            var parts: [AnomalyDetector.RootCause] = []
            for id in valueIds[i][d] {
                let v = values.keys[id][2], daily = self.daily[id]
                var actual: Int128 = 0, expected: Int128 = 0
                for t in a.first...a.last {
                    actual += daily[t - span.from]
                    if let refs = references[t] {
                        expected += RobustBaseline.median(at: refs, { daily[$0 - span.from] }, scratch: &scratch)
                    }
                }
                let value = table[Int(v)]
                if dim == .account && present[id] { accounts.append(value) }
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
        return Result(causes: causes, resourcesAvailable: span.resourceSeen, accounts: accounts.sorted())
    }

    private func label(_ dim: AnomalyDetector.Breakdown, _ value: String) -> String {
        if value.isEmpty { return "(none)" }
        if dim == .account, let name = cube.accountNames[value], !name.isEmpty, name != value { return "\(name) (\(value))" }
        return value
    }
}
