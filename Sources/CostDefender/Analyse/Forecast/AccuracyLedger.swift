/// Every forecast made for a month that now has actuals — finance's (`forecasts.csv`) and
/// CostDefender's own (the archive) — scored against what happened.
///
/// Definitions (FinOps KPI; PRODUCT.md): variance % = (forecast − actual) / forecast;
/// WAPE = Σ|actual − forecast| / Σ|actual|; bias = Σ(actual − forecast) / Σ actual (positive:
/// forecasts were too low); hit rate = share of actuals inside the forecast's interval. The
/// horizon is the number of months from the month the forecast was made in to the month it is
/// for (made in May for July: 2). When one source made several forecasts for the same month,
/// team and horizon, the latest counts.
public struct AccuracyLedger: Sendable {
    public enum Source: String, Sendable, CaseIterable { case finance, costdefender = "CostDefender" }

    public struct Entry: Sendable {
        public var source: Source
        public var madeOn: Day
        public var month: Month
        /// nil for the organisation.
        public var team: String?
        public var horizon: Int
        public var forecast: Amount
        public var actual: Amount
        public var low: Amount?
        public var high: Amount?
        public var variance: Double? { Formatter.share(forecast - actual, of: forecast) }
        public var inInterval: Bool? {
            guard let low, let high else { return nil }
            return actual >= low && actual <= high
        }
    }

    public struct Score: Sendable {
        public var count: Int
        public var wape: Double?
        public var bias: Double?
        public var hitRate: Double?

        init(_ entries: [Entry]) {
            count = entries.count
            // Exact sums, one division: the result does not depend on the entries' order.
            let actual = entries.reduce(Amount.zero) { $0 + $1.actual.magnitude }
            let error = entries.reduce(Amount.zero) { $0 + ($1.actual - $1.forecast).magnitude }
            let signed = entries.reduce(Amount.zero) { $0 + ($1.actual - $1.forecast) }
            let sumActual = entries.reduce(Amount.zero) { $0 + $1.actual }
            wape = Formatter.share(error, of: actual)
            bias = Formatter.share(signed, of: sumActual)
            let withInterval = entries.compactMap(\.inInterval)
            hitRate = withInterval.isEmpty ? nil : Double(withInterval.filter { $0 }.count) / Double(withInterval.count)
        }
    }

    /// The maturity bands for monthly forecast variance (the seed: Run is within 5 %).
    public static func stage(_ variance: Double?) -> String {
        guard let v = variance.map(abs) else { return "—" }
        if v <= 0.05 { return "Run" }
        if v <= 0.10 { return "Walk" }
        if v <= 0.20 { return "Crawl" }
        return "beyond Crawl"
    }

    public var entries: [Entry]
    /// The months scored (complete months with actuals), oldest first.
    public var months: [Month]

    /// - Parameters:
    ///   - actuals: team → month → cost, and the organisation's total under nil.
    public init(finance: [SubmittedForecast], archive: [ForecastArchive.Row], actuals: [String?: [Month: Amount]], months: [Month]) {
        self.months = months
        let scored = Set(months)
        var latest: [String: Entry] = [:]
        func consider(_ e: Entry) {
            guard scored.contains(e.month), e.horizon >= 1 else { return }
            let key = "\(e.source.rawValue)|\(e.month)|\(e.team ?? "*")|\(e.horizon)"
            if let old = latest[key], old.madeOn >= e.madeOn { return }
            latest[key] = e
        }
        for f in finance {
            guard let actual = actuals[f.team]?[f.month] ?? (actuals[f.team] == nil ? nil : Amount.zero) else { continue }
            consider(Entry(source: .finance, madeOn: f.madeOn, month: f.month, team: f.team, horizon: f.madeOn.month.distance(to: f.month),
                           forecast: f.amount, actual: actual, low: f.low, high: f.high))
        }
        for r in archive {
            guard let actual = actuals[r.team]?[r.month] ?? (actuals[r.team] == nil ? nil : Amount.zero) else { continue }
            consider(Entry(source: .costdefender, madeOn: r.madeOn, month: r.month, team: r.team, horizon: r.madeOn.month.distance(to: r.month),
                           forecast: r.amount, actual: actual, low: r.low, high: r.high))
        }
        entries = latest.values.sorted { ($0.month, $0.source.rawValue, $0.team ?? "", $0.horizon) < ($1.month, $1.source.rawValue, $1.team ?? "", $1.horizon) }
    }

    public func score(source: Source, horizon: Int?, team: String?? = .none, months: Set<Month>? = nil) -> Score {
        Score(entries.filter { e in
            e.source == source && (horizon == nil || e.horizon == horizon!) && (months == nil || months!.contains(e.month))
                && { if case .some(let t) = team { return e.team == t } else { return true } }()
        })
    }

    /// The organisation's one-month-ahead forecast of a source for a month, if any.
    public func oneAhead(_ source: Source, _ month: Month) -> Entry? {
        entries.first { $0.source == source && $0.month == month && $0.team == nil && $0.horizon == 1 }
    }

    /// Teams whose one-month-ahead forecasts (any source) missed most over `months`, by WAPE;
    /// only teams with at least `minimum` scored months.
    public func worstTeams(months: Set<Month>, minimum: Int = 3, limit: Int = 5) -> [(team: String, score: Score)] {
        var byTeam: [String: [Entry]] = [:]
        for e in entries where e.horizon == 1 && months.contains(e.month) { if let t = e.team { byTeam[t, default: []].append(e) } }
        return byTeam.filter { $0.value.count >= minimum }.map { ($0.key, Score($0.value)) }
            .filter { $0.1.wape != nil }
            .sorted { ($0.1.wape!, $1.0) > ($1.1.wape!, $0.0) }
            .prefix(limit).map { (team: $0.0, score: $0.1) }
    }
}
