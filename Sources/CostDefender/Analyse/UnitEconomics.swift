/// Cost per unit of each business metric (metrics.csv), by month and by quarter over the
/// reporting period and the quarters before it, and the quarter's cost change split into a
/// volume effect and a unit-cost (efficiency) effect.
///
/// Invariants:
/// - A metric's scope is what its cost is measured over: the team of the `team` column (its
///   facts, including its shares of shared pools), the product of the `product` column, both
///   (that team's cost of that product), or the whole organisation (neither; every fact, also
///   unallocated cost). A scope is compared with itself over time, never with another scope.
/// - A month with no metric value is a gap, not zero: its units and cost per unit are nil, and
///   so are those of every quarter or window containing it. Zero units give no cost per unit
///   ("no units") rather than a division by zero.
/// - Metric values are for whole months: a month only partly inside a window (cut at the as-of
///   date) counts its value × days inside ÷ days of the month, exactly, rounded once half-to-even
///   to 10⁻¹⁵, as budgets are pro-rated; cost is exactly the window's days. Months before the
///   first month of cost data are left out (their cost is not zero, it is unknown).
/// - With prior window 0 (`period.comparison`) and current window 1 (`period.days`), units V and
///   unit cost u = C/V: volume = (V₁−V₀)·u₀ = C₀·(V₁−V₀)/V₀, computed on the exact 10⁻¹⁵ units
///   and rounded once half-to-even; efficiency = (u₁−u₀)·V₁ = ΔC − volume, which carries the
///   rounding remainder, so volume + efficiency = ΔC exactly.
/// - Cost per unit is cost ÷ units rounded half-to-even to 10⁻¹⁵; percentages are Doubles.
public struct UnitEconomics: Sendable {
    /// What a metric's cost is measured over.
    public struct Scope: Hashable, Comparable, Sendable, CustomStringConvertible {
        public var team: String?
        public var product: String?
        public init(team: String? = nil, product: String? = nil) { self.team = team; self.product = product }
        public static let organisation = Scope()

        /// `organisation`, `team payments`, `product checkout`, `team payments, product checkout`.
        public var description: String {
            switch (team, product) {
            case (nil, nil): return "organisation"
            case (let t?, nil): return "team \(t)"
            case (nil, let p?): return "product \(p)"
            case (let t?, let p?): return "team \(t), product \(p)"
            }
        }

        public func includes(team t: String, product p: String) -> Bool {
            (team == nil || team == t) && (product == nil || product == p)
        }

        private var rank: Int { (team == nil ? 0 : 1) + (product == nil ? 0 : 2) }
        public static func < (a: Scope, b: Scope) -> Bool {
            (a.rank, a.team ?? "", a.product ?? "") < (b.rank, b.team ?? "", b.product ?? "")
        }
    }

    /// Cost and units over a window of days.
    public struct Figures: Sendable, Equatable {
        /// The window, from the first month of cost data on.
        public var days: ClosedRange<Day>
        public var cost: Amount
        /// Σ metric values of the months the window overlaps (pro-rated by days for a month only
        /// partly inside); nil when any of them has no value.
        public var units: Amount?
        /// The months of the window without a metric value (the gap), oldest first.
        public var missingMonths: [Month]
        /// cost ÷ units; nil for a gap or zero units.
        public var costPerUnit: Amount?

        public var hasGap: Bool { units == nil }
        public var hasNoUnits: Bool { units?.isZero == true }
    }

    public struct MonthLine: Sendable, Equatable {
        public var month: Month
        public var figures: Figures
        /// The month is cut at the period's last day (cost to date, units as given for the month).
        public var isToDate: Bool
    }

    public struct QuarterLine: Sendable, Equatable {
        public var quarter: FiscalQuarter
        public var figures: Figures
        public var isToDate: Bool
        /// Change of cost per unit against the previous quarter shown; nil when either is undefined.
        public var unitCostChange: Double?
    }

    /// The cost change of the period against its comparison window, split by volume and unit cost.
    public struct Change: Sendable, Equatable {
        public enum NotSplitReason: Sendable, Equatable, CustomStringConvertible {
            /// V₀ = 0: the prior unit cost is undefined.
            case noPriorUnits
            /// A month of either window has no metric value.
            case missingUnits([Month])
            /// The comparison window ends before the first month of cost data.
            case noPriorCostData
            /// The ratio does not fit the exact arithmetic (units near zero against huge cost).
            case outOfRange

            public var description: String {
                switch self {
                case .noPriorUnits: return "no prior units"
                case .missingUnits(let months): return "units missing for \(months.map(\.description).joined(separator: ", "))"
                case .noPriorCostData: return "no prior cost data"
                case .outOfRange: return "ratio out of range"
                }
            }
        }
        public enum Split: Sendable, Equatable {
            /// volume + efficiency == current.cost − prior.cost, exactly.
            case split(volume: Amount, efficiency: Amount)
            /// The whole change is unexplained by volume or unit cost.
            case notSplit(NotSplitReason)
        }

        /// The comparison window (`period.comparison`).
        public var prior: Figures
        /// The period (`period.days`).
        public var current: Figures
        public var split: Split

        public var delta: Amount { current.cost - prior.cost }
        public var volume: Amount? { if case .split(let v, _) = split { return v }; return nil }
        public var efficiency: Amount? { if case .split(_, let e) = split { return e }; return nil }
        /// V₁ ÷ V₀ − 1 (e.g. 0.12: units grew 12 %); nil when undefined.
        public var unitsChange: Double? {
            guard let v0 = prior.units, let v1 = current.units else { return nil }
            return Formatter.change(from: v0, to: v1)
        }
        /// u₁ ÷ u₀ − 1 (e.g. −0.034: cost per unit fell 3.4 %); nil when undefined.
        public var unitCostChange: Double? {
            guard let u0 = prior.costPerUnit, let u1 = current.costPerUnit else { return nil }
            return Formatter.change(from: u0, to: u1)
        }
    }

    /// One metric over one scope.
    public struct Series: Sendable {
        public var metric: String
        public var scope: Scope
        /// Oldest first.
        public var months: [MonthLine]
        /// Oldest first; the last is the reporting period's quarter.
        public var quarters: [QuarterLine]
        public var change: Change
        /// Change of cost per unit from the first to the last quarter shown that have one;
        /// nil when fewer than two have one.
        public var trend: Double?
        public var trendFrom: FiscalQuarter?
        public var trendTo: FiscalQuarter?
    }

    public var period: ReportingPeriod
    public var basis: CostBasis
    /// The quarters shown, oldest first (quarters wholly before the cost data are left out).
    public var quarters: [FiscalQuarter]
    /// Every (metric, scope) of metrics.csv with a value in a month shown or compared, sorted by
    /// metric then scope (organisation, teams, products, team × product).
    public var series: [Series]
    /// Gaps, unknown teams or products, and cost data that start inside the quarters shown.
    public var warnings: [String]

    public func series(_ metric: String, _ scope: Scope = .organisation) -> Series? {
        series.first { $0.metric == metric && $0.scope == scope }
    }

    /// - Parameters:
    ///   - calendar: the fiscal calendar of `period` (its quarters already carry their months; kept
    ///     so both analyses of a period are made the same way).
    ///   - quartersOfTrend: quarters shown, the period's included (at least 1).
    public init(query: FactQuery, period: ReportingPeriod, calendar: FiscalCalendar, metrics: [MetricValue], basis: CostBasis, quartersOfTrend: Int = 4) {
        self.period = period
        self.basis = basis
        var warnings: [String] = []
        let costs = query.costs
        let end = period.days.upperBound
        let dataRange = query.dayRange

        // The quarters and months shown: none before the first month of cost data.
        let dataStart = dataRange?.lowerBound.month.firstDay
        func clip(_ days: ClosedRange<Day>) -> ClosedRange<Day>? {
            guard let s = dataStart, s > days.lowerBound else { return days }
            return s <= days.upperBound ? s...days.upperBound : nil
        }
        var shown: [FiscalQuarter] = [period.quarter]
        while shown.count < max(1, quartersOfTrend) { shown.insert(shown[0].previous, at: 0) }
        shown = shown.filter { q in q == period.quarter || dataStart.map { q.lastDay >= $0 } ?? true }
        quarters = shown
        let months = shown.flatMap(\.months).filter { m in m.firstDay <= end && (dataStart.map { m.lastDay >= $0 } ?? true) }
        if let data = dataRange, data.lowerBound != data.lowerBound.month.firstDay, months.contains(data.lowerBound.month) {
            warnings.append("Cost data start on \(data.lowerBound), not on the first of the month: the cost of \(data.lowerBound.month) covers only part of it, so its cost per unit is too low.")
        }
        func window(_ m: Month) -> ClosedRange<Day> { m.firstDay...min(m.lastDay, end) }
        let comparisonMonths = Array(period.comparison.lowerBound.month...period.comparison.upperBound.month)

        // Cost by month (and for the comparison window) per team × product, in one pass each.
        struct Cell: Hashable { var month: Month; var team: String; var product: String }
        struct TP: Hashable { var team: String; var product: String }
        var monthly: [Month: [TP: Amount]] = [:]
        if let firstMonth = months.first {
            for (c, m) in query.sum(firstMonth.firstDay...end, code: { GroupCode(Int32(query.month(of: $0).ordinal), $0.team, $0.product, 0, 0, 0, 0, 0) },
                                    name: { Cell(month: Month(ordinal: Int($0[0])), team: costs.teams[Int($0[1])], product: costs.products[Int($0[2])]) }) {
                monthly[c.month, default: [:]][TP(team: c.team, product: c.product)] = m.cost(basis)
            }
        }
        var comparison: [TP: Amount] = [:]
        for (c, m) in query.sum(period.comparison, code: { GroupCode($0.team, $0.product, 0, 0, 0, 0, 0, 0) },
                                name: { TP(team: costs.teams[Int($0[0])], product: costs.products[Int($0[1])]) }) { comparison[c] = m.cost(basis) }
        func cost(_ cells: [TP: Amount]?, _ scope: Scope) -> Amount {
            (cells ?? [:]).reduce(Amount.zero) { scope.includes(team: $1.key.team, product: $1.key.product) ? $0 + $1.value : $0 }
        }

        // Metric values by (metric, scope) → month.
        struct Key: Hashable { var metric: String; var scope: Scope }
        var values: [Key: [Month: Amount]] = [:]
        for v in metrics { values[Key(metric: v.metric, scope: Scope(team: v.team, product: v.product)), default: [:]][v.month, default: .zero] += v.value }
        let relevant = Set(months + comparisonMonths)
        let keys = values.filter { !Set($0.value.keys).isDisjoint(with: relevant) }.keys
            .sorted { ($0.metric, $0.scope) < ($1.metric, $1.scope) }
        let knownTeams = Set(costs.teams), knownProducts = Set(costs.products)

        var series: [Series] = []
        for key in keys {
            let byMonth = values[key]!
            func figures(_ days: ClosedRange<Day>, cost c: Amount) -> Figures {
                guard let w = clip(days) else { return Figures(days: days, cost: c, units: nil, missingMonths: [], costPerUnit: nil) }
                let ms = Array(w.lowerBound.month...w.upperBound.month)
                let missing = ms.filter { byMonth[$0] == nil }
                let units: Amount? = missing.isEmpty ? ms.reduce(Amount.zero) { sum, m in
                    let inside = Int(min(m.lastDay, w.upperBound).index - max(m.firstDay, w.lowerBound).index) + 1
                    return sum + byMonth[m]!.proratedByDays(inside, of: m.dayCount)
                } : nil
                return Figures(days: w, cost: c, units: units, missingMonths: missing, costPerUnit: units.flatMap { Self.divide(c, by: $0) })
            }
            let monthLines = months.map { m in
                MonthLine(month: m, figures: figures(window(m), cost: cost(monthly[m], key.scope)), isToDate: m.lastDay > end)
            }
            var quarterLines: [QuarterLine] = []
            for q in shown {
                let c = monthLines.filter { q.months.contains($0.month) }.reduce(Amount.zero) { $0 + $1.figures.cost }
                let f = figures(q.firstDay...min(q.lastDay, end), cost: c)
                let change = quarterLines.last?.figures.costPerUnit.flatMap { u0 in f.costPerUnit.flatMap { Formatter.change(from: u0, to: $0) } }
                quarterLines.append(QuarterLine(quarter: q, figures: f, isToDate: q.lastDay > end, unitCostChange: change))
            }
            let current = quarterLines.last!.figures     // the period's quarter: exactly `period.days`
            let prior = figures(period.comparison, cost: cost(comparison, key.scope))
            let change = Change(prior: prior, current: current, split: Self.split(prior: prior, current: current, priorHasCostData: clip(period.comparison) != nil))

            let defined = quarterLines.filter { $0.figures.costPerUnit != nil }
            var trend: Double?, trendFrom: FiscalQuarter?, trendTo: FiscalQuarter?
            if let a = defined.first, let b = defined.last, a.quarter != b.quarter {
                trend = Formatter.change(from: a.figures.costPerUnit!, to: b.figures.costPerUnit!)
                trendFrom = a.quarter; trendTo = b.quarter
            }
            series.append(Series(metric: key.metric, scope: key.scope, months: monthLines, quarters: quarterLines, change: change,
                                 trend: trend, trendFrom: trendFrom, trendTo: trendTo))

            if let t = key.scope.team, !knownTeams.contains(t) {
                warnings.append("Metric \(key.metric) is given for team \(t), which has no cost in the data: its cost per unit is zero.")
            }
            if let p = key.scope.product, !knownProducts.contains(p) {
                warnings.append("Metric \(key.metric) is given for product \(p), which has no cost in the data: its cost per unit is zero.")
            }
            let gaps = Set(monthLines.flatMap(\.figures.missingMonths) + prior.missingMonths).sorted()
            if !gaps.isEmpty {
                warnings.append("Metric \(key.metric) (\(key.scope)) has no value for \(gaps.map(\.description).joined(separator: ", ")): shown as a gap, not as zero.")
            }
        }
        self.series = series
        self.warnings = warnings
    }

    static func split(prior: Figures, current: Figures, priorHasCostData: Bool) -> Change.Split {
        guard priorHasCostData else { return .notSplit(.noPriorCostData) }
        let missing = Set(prior.missingMonths + current.missingMonths).sorted()
        if !missing.isEmpty { return .notSplit(.missingUnits(missing)) }
        guard let v0 = prior.units, let v1 = current.units, !v0.isZero else { return .notSplit(.noPriorUnits) }
        guard let volume = prior.cost.multiplied(by: v1 - v0, dividedBy: v0) else { return .notSplit(.outOfRange) }
        return .split(volume: volume, efficiency: (current.cost - prior.cost) - volume)
    }

    /// cost ÷ units, rounded half-to-even to 10⁻¹⁵; nil for zero units or out of range.
    static func divide(_ cost: Amount, by units: Amount) -> Amount? {
        cost.multiplied(by: Amount(whole: 1), dividedBy: units)
    }
}

extension Amount {
    /// `self × b ÷ c` on the exact units (a 256-bit product), rounded once half-to-even to
    /// 10⁻¹⁵; nil when `c` is zero or the result would exceed ±10²².
    fileprivate func multiplied(by b: Amount, dividedBy c: Amount) -> Amount? {
        guard !c.isZero else { return nil }
        let estimate = doubleValue * b.doubleValue / c.doubleValue
        guard estimate.isFinite, abs(estimate) < 1e22 else { return nil }
        let (q, r) = c.units.dividingFullWidth(units.multipliedFullWidth(by: b.units))
        return Amount(units: Amount.roundHalfEven(quotient: q, remainder: r, divisor: c.units))
    }
}

extension Formatter {
    /// Cost per unit: like `money` from 1 up; below 1 with at least 4 decimals and enough for 3
    /// significant digits: `$0.0123`, `$0.5000`, `$0.0000456`; zero is `$0.00`.
    public func unitCost(_ a: Amount) -> String {
        if a.isZero || a.magnitude >= Amount(whole: 1) { return money(a) }
        var firstSignificant = 1
        var threshold = Amount.unit / 10
        while firstSignificant < Amount.scale && a.magnitude.units < threshold { firstSignificant += 1; threshold /= 10 }
        let text = a.plainText(decimals: min(Amount.scale, max(4, firstSignificant + 2)))
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let withSymbol = symbol.map { $0 + body } ?? "\(currency) \(body)"
        return negative ? "-" + withSymbol : withSymbol
    }

    /// Metric units: grouped, at most 2 decimals, trailing zeros dropped (`1,200,000`, `1,234.5`).
    public func units(_ a: Amount) -> String {
        var text = a.plainText(decimals: 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let body = Self.group(String(parts[0])) + (parts.count > 1 ? "." + parts[1] : "")
        return negative && body != "0" ? "-" + body : body
    }
}
