/// Unusual daily cost per team × service against a robust, weekday-aware baseline.
///
/// For each series (team × service; direct and shared cost alike belong to their team; one-time
/// charges — purchases, credits, refunds, corrections and anything with `ChargeFrequency`
/// `One-Time` — left out, and by default `Recurring` scheduled fees too) and each day of the window: the baseline is the median and MAD of the
/// same weekday over the previous `weeks` weeks (at least `minimumWeekdayPoints` of them), or of
/// all of the previous `fallbackDays` days when there are fewer. The modified z-score is
/// 0.6745·(x − median)/MAD; a day is flagged when |z| > `threshold` and |x − median| ≥ `floor`
/// (with MAD = 0: when |x − median| ≥ `floor` and x ≠ median). Consecutive flagged days of one
/// series with the same sign make one anomaly: expected = Σ medians, impact = Σ(actual − expected).
///
/// Each anomaly's change is then split over account, region, resource and charge category: for
/// each value of a dimension, its actual cost on the anomaly's days minus its own baseline (the
/// median of that value's cost over the same reference days). These parts are medians of parts,
/// so they need not add up exactly to the anomaly's impact; their share is part ÷ impact.
///
/// Cost: one pass over the facts to build per-series daily arrays, O(series × days × weeks) for
/// the baselines, and one more pass over the facts for the root causes of the series that have
/// anomalies.
public struct AnomalyDetector: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Weeks of same-weekday history in the baseline.
        public var weeks = 8
        /// |modified z| above which a day is unusual.
        public var threshold = 3.5
        /// The smallest |actual − median| a day must have to be flagged, per day.
        public var floor = Amount(whole: 50)
        /// Fewer same-weekday points than this: use the previous `fallbackDays` days instead.
        public var minimumWeekdayPoints = 4
        public var fallbackDays = 28
        /// Fewer days of history than this: the day is not judged.
        public var minimumFallbackPoints = 7
        /// Leave out `ChargeFrequency` `Recurring` charges too: scheduled fees (support plans,
        /// subscriptions) posted once for the whole month would otherwise spike every 1st.
        public var excludeRecurring = true
        /// Values listed per root-cause dimension.
        public var rootCausesPerDimension = 3
        public init() {}
    }

    /// The dimensions an anomaly's change is split over.
    public enum Breakdown: String, Sendable, CaseIterable {
        case account, region, resource
        case chargeCategory = "charge_category"

        public var title: String {
            switch self {
            case .account: return "account"
            case .region: return "region"
            case .resource: return "resource"
            case .chargeCategory: return "charge category"
            }
        }

        var cubeDimension: Dimension {
            switch self {
            case .account: return .subAccount
            case .region: return .region
            case .resource: return .resource
            case .chargeCategory: return .chargeCategory
            }
        }
    }

    public struct RootCause: Sendable, Equatable {
        public var dimension: Breakdown
        /// The raw value (account id, region id, resource id, charge category); "" for none.
        public var value: String
        /// For people: `Name (id)` for named accounts, `(none)` for an empty value.
        public var label: String
        /// Cost of this value on the anomaly's days.
        public var actual: Amount
        /// Σ over the anomaly's days of this value's median cost on the reference days.
        public var expected: Amount
        /// actual − expected.
        public var impact: Amount
        /// impact ÷ the anomaly's impact; nil when that is zero.
        public var share: Double?
    }

    public struct Anomaly: Sendable {
        public var team: String
        public var service: String
        public var firstDay: Day
        public var lastDay: Day
        /// Σ of the baseline medians over the anomaly's days.
        public var expected: Amount
        public var actual: Amount
        /// Σ(actual − expected); positive for a spike, negative for a drop.
        public var impact: Amount
        /// The modified z-score of largest magnitude, signed; ±infinity when a day's MAD was 0.
        public var maxZ: Double
        /// The largest parts of the change per dimension (`rootCausesPerDimension` each), by
        /// dimension then |impact|.
        public var rootCauses: [RootCause]
        /// Whether the facts of the anomaly's days carry resource ids (the daily cube keeps them
        /// only for resources a ledger scope names); when false the resource split is not available.
        public var resourcesAvailable: Bool
        /// Accounts with cost in the series on the anomaly's days (ids, sorted).
        public var accounts: [String]
        public var owner: String?
        public var contact: String?
        public var notes: [Note]

        public var dayCount: Int { firstDay.distance(to: lastDay) + 1 }
        public var isIncrease: Bool { impact > .zero }
        public func rootCauses(_ d: Breakdown) -> [RootCause] { rootCauses.filter { $0.dimension == d } }
    }

    public let settings: Settings
    public let basis: CostBasis
    /// The window asked for.
    public let window: ClosedRange<Day>
    /// The days looked at: the window within the days of data; nil when none. (Days in it without
    /// enough history, or without any cost row at all, are not judged.)
    public let judged: ClosedRange<Day>?
    /// Series (team × service) with run-rate cost in the window or its history.
    public let seriesCount: Int
    /// Sorted by |impact| descending, then team, service and first day.
    public var anomalies: [Anomaly]

    /// Detect in `window` (days), using history before it for the baselines.
    public init(_ q: FactQuery, window: ClosedRange<Day>, basis: CostBasis, contacts: [String: Configuration.TeamContact],
                notes: [Note], settings: Settings = Settings()) {
        self.settings = settings
        self.basis = basis
        self.window = window
        let facts = q.costs.facts
        guard let firstData = facts.first?.day, let lastData = facts.last?.day,
              window.lowerBound <= lastData, window.upperBound >= firstData else {
            judged = nil; seriesCount = 0; anomalies = []
            return
        }
        let end = min(window.upperBound, lastData)
        judged = max(window.lowerBound, firstData)...end
        let lookback = max(7 * max(0, settings.weeks), settings.fallbackDays)
        let origin = max(window.lowerBound.advanced(by: -lookback), firstData)
        let length = origin.distance(to: end) + 1
        let firstJudged = max(0, origin.distance(to: window.lowerBound))
        let cube = q.costs.cube

        // One pass: per-series daily run-rate cost.
        let excluded = AnomalyExclusions(cube, excludeRecurring: settings.excludeRecurring)
        // Series ids in order of first sight.
        var seriesIndex = SeriesIndex()
        var values: [[Int128]] = []
        // Days without a single cost row are gaps in the export, not days that cost nothing.
        var hasData = Array(repeating: false, count: length)
        for f in q.facts(in: origin...end) {
            let t = origin.distance(to: f.day)
            hasData[t] = true
            if excluded.isExcluded(f.key) { continue }
            let s = seriesIndex.id(of: f)
            if s == values.count { values.append(Array(repeating: 0, count: length)) }
            values[s][t] += f.measures.cost(basis).units
        }
        seriesCount = values.count

        // Reference days depend only on the day's position; compute them once.
        var references: [[Int]?] = Array(repeating: nil, count: length)
        for t in firstJudged..<length where hasData[t] { references[t] = RobustBaseline.references(of: t, settings, hasData: hasData) }

        // Baselines and flags, series by series.
        var found: [Run] = []
        var scratch: [Int128] = []
        scratch.reserveCapacity(max(settings.weeks, settings.fallbackDays))
        let floor = settings.floor.units.magnitude
        for (s, series) in values.enumerated() {
            var lo = series[0], hi = series[0]
            for v in series { lo = min(lo, v); hi = max(hi, v) }
            // |x − median| ≤ max − min for every day: nothing can reach the floor.
            if (hi - lo).magnitude < floor || hi == lo { continue }
            var open: Run?
            for t in firstJudged..<length {
                var flagged = false, z = 0.0, median: Int128 = 0
                if let refs = references[t] {
                    let b = RobustBaseline.medianAndMAD(series, refs, scratch: &scratch)
                    median = b.median
                    let diff = series[t] - b.median
                    if diff != 0 && diff.magnitude >= floor {
                        if b.mad == 0 {
                            flagged = true
                            z = diff > 0 ? .infinity : -.infinity
                        } else {
                            z = 0.6745 * Amount(units: diff).doubleValue / Amount(units: b.mad).doubleValue
                            flagged = abs(z) > settings.threshold
                        }
                    }
                }
                if flagged {
                    let up = series[t] > median
                    if var o = open, o.increase == up {
                        o.last = t; o.expected += median; o.actual += series[t]
                        if abs(z) > abs(o.maxZ) { o.maxZ = z }
                        open = o
                    } else {
                        if let o = open { found.append(o) }
                        open = Run(series: s, first: t, last: t, increase: up, expected: median, actual: series[t], maxZ: z)
                    }
                } else if let o = open {
                    found.append(o); open = nil
                }
            }
            if let o = open { found.append(o) }
        }

        // Root causes: one more pass over the facts, for the series with anomalies.
        let causes = RootCauseSplit(found: found, seriesIndex: seriesIndex, references: references,
                                    origin: origin, query: q, basis: basis, settings: settings)

        var out: [Anomaly] = []
        out.reserveCapacity(found.count)
        for (i, a) in found.enumerated() {
            let key = seriesIndex.key(a.series)
            let team = q.costs.teams[Int(key.team)]
            let service = cube.tables[Dimension.service.rawValue][Int(key.service)]
            let first = origin.advanced(by: a.first), last = origin.advanced(by: a.last)
            let impact = Amount(units: a.actual - a.expected)
            let split = causes.result(i, impact: impact)
            let accounts = split.accounts
            let matched = notes.filter { n in
                guard n.days.overlaps(first...last) else { return false }
                func mover(_ account: String?) -> Movers.Mover {
                    Movers.Mover(team: team, service: service, account: account, prior: .zero, current: .zero, drivers: [:], notes: [])
                }
                return Movers.matches(n, mover(nil)) || accounts.contains { Movers.matches(n, mover($0)) }
            }
            let contact = contacts[team]
            out.append(Anomaly(team: team, service: service, firstDay: first, lastDay: last,
                               expected: Amount(units: a.expected), actual: Amount(units: a.actual), impact: impact, maxZ: a.maxZ,
                               rootCauses: split.causes, resourcesAvailable: split.resourcesAvailable, accounts: accounts,
                               owner: contact?.owner, contact: contact?.contact, notes: matched))
        }
        anomalies = out.sorted { a, b in
            if a.impact.magnitude != b.impact.magnitude { return a.impact.magnitude > b.impact.magnitude }
            if a.team != b.team { return a.team < b.team }
            if a.service != b.service { return a.service < b.service }
            return a.firstDay < b.firstDay
        }
    }

    /// The anomalies of one team.
    public func anomalies(team: String) -> [Anomaly] { anomalies.filter { $0.team == team } }

    /// Σ impact of the anomalies that raised cost and of those that lowered it.
    public var increase: Amount { anomalies.reduce(.zero) { $1.impact > .zero ? $0 + $1.impact : $0 } }
    public var decrease: Amount { anomalies.reduce(.zero) { $1.impact < .zero ? $0 + $1.impact : $0 } }
}

extension AnomalyDetector {
    /// One series: a team (index into `AllocatedCosts.teams`) and a service (index into the cube's table).
    struct SeriesKey: Hashable {
        var team: Int32
        var service: Int32
    }

    /// Dense ids of series (a fact's team × service), in order of first sight.
    struct SeriesIndex {
        private var index = DenseKeyIndex<GroupCode>(initialSlots: 256)

        /// The series id of a fact, adding its series with the next id when it is new.
        @inline(__always)
        mutating func id(of f: CostFact) -> Int { Int(index.id(of: GroupCode(f.team, f.key[.service], 0, 0, 0, 0, 0, 0))) }

        var count: Int { index.count }

        func key(_ id: Int) -> SeriesKey { let c = index.keys[id]; return SeriesKey(team: c[0], service: c[1]) }
    }

    /// A run of flagged days of one series, as offsets from the origin; money in 10⁻¹⁵ units.
    struct Run {
        var series: Int
        var first: Int
        var last: Int
        var increase: Bool
        var expected: Int128
        var actual: Int128
        var maxZ: Double
    }
}

/// Whether a fact stays out of the daily series: its `ChargeKind` is one-time (or, optionally,
/// the charge is `Recurring`), judged per table value, so each fact costs a few array reads.
struct AnomalyExclusions {
    private let kinds: ChargeKinds
    /// By `ChargeFrequency` index: left out as `Recurring` (all false unless `excludeRecurring`).
    private let recurring: [Bool]

    init(_ cube: CostCube, excludeRecurring: Bool) {
        kinds = ChargeKinds(cube)
        recurring = cube.tables[Dimension.chargeFrequency.rawValue].map { excludeRecurring && $0 == "Recurring" }
    }

    @inline(__always)
    func isExcluded(_ key: CubeKey) -> Bool { kinds.of(key).isOneTime || recurring[Int(key[.chargeFrequency])] }
}
