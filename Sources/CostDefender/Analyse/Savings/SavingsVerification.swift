/// Verifies the savings ledger against actual spend (PRODUCT.md, Analytics: savings verification).
///
/// For an implemented finding, the scope's mean daily cost (the configured basis, i.e. the prices
/// actually paid) in a baseline window before `implemented_on` is compared with the same after a
/// settling period. With a driver metric the comparison is per unit, so that volume growth does
/// not hide a saving and a volume drop does not fake one: the saving is what the after window
/// would have cost at the baseline unit cost minus what it cost. A month is 365.25 / 12 days.
///
/// No double counting: every cube cell belongs to at most one finding — the implemented finding
/// with the narrowest scope that matches it (the fewest matching cells over the whole data; then
/// the earliest implementation; then the id). Findings that lost cells to a narrower one say so.
public struct SavingsVerification: Sendable {
    public struct Settings: Sendable, Equatable {
        public var baselineDays = 30
        public var settlingDays = 14
        public var afterDays = 30
        /// Realised ≥ this share of committed counts as verified.
        public var verifiedShare = 0.8
        public init() {}
    }

    public enum Status: String, Sendable, CaseIterable {
        case verified
        case partial = "partially realised"
        case notRealised = "not realised"
        case regressed
        case tooEarly = "too early"
        case noData = "no data"
        /// Not implemented yet (identified, committed) or rejected.
        case notImplemented = "not implemented"
    }

    public struct Result: Sendable {
        public var entry: LedgerEntry
        public var status: Status
        public var baseline: ClosedRange<Day>?
        public var after: ClosedRange<Day>?
        /// The most recent window of the same length up to the as-of date, when later than `after`.
        public var latest: ClosedRange<Day>?
        public var baselineDaily: Amount?
        public var afterDaily: Amount?
        /// Realised saving per month in the first after window (per unit of the driver when it has one).
        public var realisedMonthly: Amount?
        /// Realised saving per month in the latest window.
        public var currentMonthly: Amount?
        /// Σ over the days since the settling period of (expected at baseline − actual).
        public var realisedToDate: Amount?
        public var driver: String?
        public var driverNote: String?
        public var overlaps: [String]
        /// Daily cost of the scope around the implementation date, for the sparkline.
        public var series: [Amount]
        public var seriesStart: Day?
        /// Per day from the end of the settling period to the as-of date: expected cost at the
        /// baseline (per unit with a driver) minus actual cost, i.e. the saving of that day.
        public var dailySaving: [Int32: Amount] = [:]

        /// The saving realised on the days of `window` (0 outside the measured days).
        public func realised(in window: ClosedRange<Day>) -> Amount {
            window.reduce(Amount.zero) { $0 + (dailySaving[$1.index] ?? .zero) }
        }
    }

    public var results: [Result]
    public var settings: Settings
    /// Findings that cannot be verified, with the ledger line each comes from.
    public var warnings: [(line: Int, text: String)]

    public static let daysPerMonth = Amount(units: 30_437_500_000_000_000)   // 365.25 / 12

    public init(cube: CostCube, ledger: [LedgerEntry], metrics: [MetricValue], asOf: Day, basis: CostBasis, settings: Settings = Settings()) {
        self.settings = settings
        var warnings: [(line: Int, text: String)] = []
        let matcher = ScopeMatcher(cube: cube)
        // Cells by time-less key (dense ids, `CubeKeyIndex`), each with its days' cost; only
        // needed when some finding is implemented.
        var timelessIndex = CubeKeyIndex(initialSlots: 1024)
        var cellCosts: [[(time: Int32, cost: Amount)]] = []
        if ledger.contains(where: { $0.status == .implemented && $0.implementedOn != nil }) {
            for (key, m) in cube.daily {
                var t = key
                t.time = 0
                let id = Int(timelessIndex.id(of: t))
                if id == cellCosts.count { cellCosts.append([]) }
                cellCosts[id].append((key.time, m.cost(basis)))
            }
        }
        let timelessKeys = timelessIndex.keys
        let timeless = timelessKeys.indices.sorted { a, b in
            for i in 0..<16 where timelessKeys[a].storage[i] != timelessKeys[b].storage[i] { return timelessKeys[a].storage[i] < timelessKeys[b].storage[i] }
            return false
        }
        var matches: [String: [Int]] = [:]   // entry id → time-less key ids
        for e in ledger where e.status == .implemented && e.implementedOn != nil {
            matches[e.id] = timeless.filter { matcher.matches(timelessKeys[$0], e.scope) }
        }
        let implemented = ledger.filter { matches[$0.id] != nil }.sorted {
            (matches[$0.id]!.count, $0.implementedOn!, $0.id) < (matches[$1.id]!.count, $1.implementedOn!, $1.id)
        }
        // Claim cells: narrowest scope first.
        var owner = [String?](repeating: nil, count: timelessKeys.count)   // time-less key id → entry id
        var overlaps: [String: Set<String>] = [:]
        for e in implemented {
            for t in matches[e.id]! {
                if let other = owner[t] { if other != e.id { overlaps[e.id, default: []].insert(other) } } else { owner[t] = e.id }
            }
        }
        var daily: [String: [Int32: Amount]] = [:]
        for (t, entry) in owner.enumerated() {
            guard let entry else { continue }
            for (time, cost) in cellCosts[t] { daily[entry, default: [:]][time, default: .zero] += cost }
        }

        var results: [Result] = []
        for e in ledger.sorted(by: { $0.id < $1.id }) {
            guard e.status == .implemented, let on = e.implementedOn else {
                results.append(Result(entry: e, status: .notImplemented, overlaps: [], series: [])); continue
            }
            let baseline = on.advanced(by: -settings.baselineDays)...on.advanced(by: -1)
            let afterStart = on.advanced(by: settings.settlingDays)
            let after = afterStart...afterStart.advanced(by: settings.afterDays - 1)
            let days = daily[e.id] ?? [:]
            let seriesStart = baseline.lowerBound.advanced(by: -7)
            let seriesEnd = min(asOf, after.upperBound.advanced(by: 7))
            let series = seriesStart <= seriesEnd ? (seriesStart...seriesEnd).map { days[$0.index] ?? .zero } : []
            var r = Result(entry: e, status: .noData, baseline: baseline, after: after, overlaps: overlaps[e.id].map { Array($0).sorted() } ?? [],
                           series: series, seriesStart: seriesStart)
            if days.isEmpty {
                warnings.append((e.line, "ledger entry \(e.id) (\(e.title)): its scope `\(e.scopeText)` matches no cost in the data"))
                results.append(r); continue
            }
            // Driver: a metric of the finding's team, else an organisation-wide one, by name.
            var units: ((ClosedRange<Day>) -> Amount?)?
            if let name = e.driver {
                let values = metrics.filter { $0.metric == name && ($0.team == e.team || $0.team == nil) && $0.product == nil }
                let own = values.contains { $0.team == e.team } ? values.filter { $0.team == e.team } : values.filter { $0.team == nil }
                if own.isEmpty {
                    r.driverNote = "driver `\(name)` is not in metrics.csv; compared without normalising"
                } else {
                    r.driver = name
                    var byMonth: [Month: Amount] = [:]
                    for v in own { byMonth[v.month, default: .zero] += v.value }
                    units = { window in
                        var total = Amount.zero
                        for d in window { guard let v = byMonth[d.month] else { return nil }; total += Amount.mulDiv(v, Amount(whole: 1), Amount(whole: d.month.dayCount)) ?? .zero }
                        return total
                    }
                }
            }
            func cost(_ w: ClosedRange<Day>) -> Amount { w.reduce(Amount.zero) { $0 + (days[$1.index] ?? .zero) } }
            let baseCost = cost(baseline)
            r.baselineDaily = Amount.mulDiv(baseCost, Amount(whole: 1), Amount(whole: baseline.count))
            guard after.upperBound <= asOf else { r.status = .tooEarly; results.append(r); continue }
            /// Monthly saving of a window: expected (at baseline daily cost, or baseline unit cost × units) − actual.
            func monthly(_ w: ClosedRange<Day>) -> Amount? {
                let actual = cost(w)
                var expected: Amount
                if let units, let u0 = units(baseline), let u1 = units(w), u0 > .zero {
                    expected = Amount.mulDiv(baseCost, u1, u0) ?? .zero
                } else {
                    expected = Amount.mulDiv(baseCost, Amount(whole: w.count), Amount(whole: baseline.count)) ?? .zero
                }
                return Amount.mulDiv(expected - actual, Self.daysPerMonth, Amount(whole: w.count))
            }
            r.afterDaily = Amount.mulDiv(cost(after), Amount(whole: 1), Amount(whole: after.count))
            r.realisedMonthly = monthly(after)
            let latest = asOf.advanced(by: -(settings.afterDays - 1))...asOf
            if latest.lowerBound > after.upperBound {
                r.latest = latest
                r.currentMonthly = monthly(latest)
            }
            // Realised to date: every day since settling, expected at baseline minus actual.
            if afterStart <= asOf {
                for d in afterStart...asOf {
                    let expected: Amount
                    if let units, let u0 = units(baseline), let u1 = units(d...d), u0 > .zero { expected = Amount.mulDiv(baseCost, u1, u0) ?? .zero }
                    else { expected = Amount.mulDiv(baseCost, Amount(whole: 1), Amount(whole: baseline.count)) ?? .zero }
                    r.dailySaving[d.index] = expected - (days[d.index] ?? .zero)
                }
                r.realisedToDate = r.dailySaving.values.reduce(.zero, +)
            }
            let threshold = Amount.mulDiv(e.committedMonthly, Amount(units: Int128((settings.verifiedShare * 1e6).rounded()) * 1_000_000_000), Amount(whole: 1)) ?? e.committedMonthly
            let realised = r.realisedMonthly ?? .zero
            if realised >= threshold && !e.committedMonthly.isZero || (e.committedMonthly.isZero && realised > .zero) {
                if let now = r.currentMonthly, now < threshold { r.status = .regressed } else { r.status = .verified }
            } else if realised > .zero {
                r.status = .partial
            } else {
                r.status = .notRealised
            }
            results.append(r)
        }
        self.results = results
        self.warnings = warnings
    }

    /// The monthly saving an entry is credited with: the latest window's when there is one.
    public static func creditedMonthly(_ r: Result) -> Amount? { r.currentMonthly ?? r.realisedMonthly }
}
