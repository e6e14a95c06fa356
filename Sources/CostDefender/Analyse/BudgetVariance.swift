/// Budget against actual cost per team, for a reporting period (a fiscal quarter, possibly to
/// date) and for the fiscal year to date.
///
/// Invariants:
/// - Money is exact. A budget row only partly inside a window (a quarter or month cut at the
///   as-of date) counts `amount × days inside ÷ days of its period`, computed on the exact
///   10⁻¹⁵ units and rounded once, half-to-even, to 10⁻¹⁵; a row wholly inside counts in full.
/// - Where a team has both quarter and month rows for the same months, the month rows are used
///   for those months and the quarter row only for the quarter's other days (pro-rated by days),
///   so nothing is counted twice; `warnings` says so.
/// - The actual of a window is every fact of the window on the cost basis, so a window's `actual`
///   equals the cost of the period, and its lines' actuals sum to it exactly.
/// - With both a `*` budget and team budgets, Σ line budgets + `unassignedBudget` = `totalBudget`
///   (the `*` budget), so Σ line variances − `unassignedBudget` = the total variance; without a
///   `*` budget, `totalBudget` is Σ line budgets and the line variances sum to the total's.
public struct BudgetVariance: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case over
        case under
        case onTrack = "on track"
        case noBudget = "no budget"
    }

    /// One team's budget and actual over a window.
    public struct Line: Sendable, Equatable {
        public var team: String
        /// nil: the team has cost in the window but no budget row for any of its days.
        public var budget: Amount?
        public var actual: Amount
        public var status: Status
        /// actual − budget (the whole actual when there is no budget).
        public var variance: Amount { actual - (budget ?? .zero) }
        /// variance ÷ |budget|; nil without a budget or with a zero budget.
        public var variancePercent: Double? { budget.flatMap { Formatter.change(from: $0, to: actual) } }
    }

    /// Budget against actual over one window of days.
    public struct Window: Sendable {
        /// `FY2026-Q3`, `FY2026-Q3 to date`, `FY2026`, `FY2026 to date`.
        public var name: String
        public var days: ClosedRange<Day>
        /// False when the window is cut at the as-of date.
        public var isComplete: Bool
        /// Every team with a budget or a non-zero cost in the window, largest |variance| first
        /// (ties by name). Cost no rule, tag or mapping placed is the team `(unallocated)`.
        public var lines: [Line]
        /// The `*` budget rows, when any overlaps the window.
        public var organisationBudget: Amount?
        /// Σ of the teams' budgets (zero when no team has one).
        public var teamBudgets: Amount
        /// The `*` budget if given for the window, else Σ team budgets; nil when there is neither.
        public var totalBudget: Amount?
        /// `*` budget − Σ team budgets, when both exist (may be negative: teams over-assigned).
        public var unassignedBudget: Amount?
        /// All cost of the window, allocated or not.
        public var actual: Amount
        public var status: Status

        public var variance: Amount { actual - (totalBudget ?? .zero) }
        public var variancePercent: Double? { totalBudget.flatMap { Formatter.change(from: $0, to: actual) } }
        public func line(_ team: String) -> Line? { lines.first { $0.team == team } }
        /// Budget per team that has one (the form `TargetBridge.build(teamTargets:)` takes, with
        /// `organisationBudget` as its `totalTarget`).
        public var budgetsByTeam: [String: Amount] {
            var out: [String: Amount] = [:]
            for l in lines { if let b = l.budget { out[l.team] = b } }
            return out
        }
    }

    public var period: ReportingPeriod
    public var basis: CostBasis
    /// ± share of budget that counts as on track (e.g. 0.05).
    public var tolerance: Double
    /// The reporting period's days.
    public var quarter: Window
    /// First day of the fiscal year containing the quarter → the period's last day.
    public var yearToDate: Window
    /// Whether budgets.csv gave any row at all.
    public var hasBudgets: Bool
    /// Things a reader must know about the budgets (overlapping rows, duplicates, data gaps).
    public var warnings: [String]

    /// The quarter's `*` budget − Σ team budgets, when both exist.
    public var unassignedBudget: Amount? { quarter.unassignedBudget }

    public init(query: FactQuery, period: ReportingPeriod, calendar: FiscalCalendar, budgets: [Budget], basis: CostBasis, tolerance: Double) {
        self.period = period
        self.basis = basis
        self.tolerance = tolerance
        hasBudgets = !budgets.isEmpty
        var notes = Warnings()
        let plan = BudgetPlan(budgets, notes: &notes)
        let known = Set(query.costs.teams)
        for case let team? in plan.byTeam.keys.sorted(by: { ($0 ?? "") < ($1 ?? "") }) where !known.contains(team) {
            let similar = known.filter { $0.lowercased() == team.lowercased() }.sorted()
            notes.add("budgets.csv names team \(team), which has no cost in the data" + (similar.isEmpty ? "." : " (did you mean \(similar.joined(separator: " or "))?)."))
        }
        let band = Self.exactTolerance(tolerance)
        let dataRange = query.dayRange
        let q = period.quarter
        let fyStart = calendar.firstMonth(ofFiscalYear: q.fiscalYear).firstDay
        let end = period.days.upperBound
        let fyEnd = calendar.firstMonth(ofFiscalYear: q.fiscalYear).advanced(by: 11).lastDay
        let quarterName = period.isComplete ? q.description : "\(q) to date"
        let yearName = end == fyEnd ? "FY\(q.fiscalYear)" : "FY\(q.fiscalYear) to date"
        func window(_ name: String, _ days: ClosedRange<Day>, complete: Bool) -> Window {
            if let data = dataRange, data.lowerBound > days.lowerBound, data.lowerBound <= days.upperBound {
                notes.add("Cost data start on \(data.lowerBound), after the first day of \(name) (\(days.lowerBound)): its actual covers fewer days than its budget.")
            }
            return Self.window(name, days, complete: complete, query: query, plan: plan, basis: basis, band: band, notes: &notes)
        }
        quarter = window(quarterName, period.days, complete: period.isComplete)
        yearToDate = window(yearName, fyStart...end, complete: end == fyEnd)
        warnings = notes.list
    }

    /// The status of `actual` against `budget` (nil: no budget) with an exact tolerance band.
    static func status(actual: Amount, budget: Amount?, band: Amount) -> Status {
        guard let budget else { return .noBudget }
        let margin = budget.magnitude.multiplied(by: band)
        if actual > budget + margin { return .over }
        if actual < budget - margin { return .under }
        return .onTrack
    }

    /// The tolerance as an exact decimal (0.05 is exactly 5/100, not the nearest binary float),
    /// so an actual exactly at budget × (1 ± tolerance) is on track.
    static func exactTolerance(_ t: Double) -> Amount {
        if t.isFinite, case .value(let a, _) = Amount.parse("\(abs(t))") { return a }
        return .zero
    }

    private static func window(_ name: String, _ days: ClosedRange<Day>, complete: Bool, query: FactQuery, plan: BudgetPlan, basis: CostBasis,
                               band: Amount, notes: inout Warnings) -> Window {
        let costs = query.costs
        var actual: [String: Amount] = [:]
        for (team, m) in query.sum(days, code: { GroupCode($0.team, 0, 0, 0, 0, 0, 0, 0) }, name: { costs.teams[Int($0[0])] }) { actual[team] = m.cost(basis) }
        let budgets = plan.budgets(for: days, notes: &notes)
        var teams = Set(actual.filter { !$0.value.isZero }.keys)
        for case let team? in budgets.keys { teams.insert(team) }
        let lines = teams.map { team -> Line in
            let a = actual[team] ?? .zero
            let b = budgets[team]
            return Line(team: team, budget: b, actual: a, status: status(actual: a, budget: b, band: band))
        }.sorted { ($0.variance.magnitude, $1.team) > ($1.variance.magnitude, $0.team) }
        let organisation = budgets[String?.none]
        let teamBudgets = lines.reduce(Amount.zero) { $0 + ($1.budget ?? .zero) }
        let anyTeamBudget = lines.contains { $0.budget != nil }
        let total = organisation ?? (anyTeamBudget ? teamBudgets : nil)
        let totalActual = actual.values.reduce(.zero, +)
        return Window(name: name, days: days, isComplete: complete, lines: lines, organisationBudget: organisation, teamBudgets: teamBudgets, totalBudget: total,
                      unassignedBudget: organisation != nil && anyTeamBudget ? organisation! - teamBudgets : nil,
                      actual: totalActual, status: status(actual: totalActual, budget: total, band: band))
    }
}

/// Warnings in the order found, each once.
private struct Warnings {
    var list: [String] = []
    private var seen: Set<String> = []
    mutating func add(_ text: String) { if seen.insert(text).inserted { list.append(text) } }
}

/// The budget rows of budgets.csv by team (nil: `*`), with duplicates summed.
private struct BudgetPlan {
    struct Rows { var months: [Month: Amount] = [:]; var quarters: [FiscalQuarter: Amount] = [:] }
    var byTeam: [String?: Rows] = [:]

    init(_ budgets: [Budget], notes: inout Warnings) {
        var count: [String: Int] = [:]
        for b in budgets {
            let who = b.team ?? "*"
            switch b.period {
            case .month(let m):
                byTeam[b.team, default: Rows()].months[m, default: .zero] += b.amount
                count["\(who)\u{0}\(m)", default: 0] += 1
            case .quarter(let q):
                byTeam[b.team, default: Rows()].quarters[q, default: .zero] += b.amount
                count["\(who)\u{0}\(q)", default: 0] += 1
            }
        }
        for (key, n) in count.sorted(by: { $0.key < $1.key }) where n > 1 {
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false)
            notes.add("budgets.csv has \(n) rows for \(parts[0] == "*" ? "the total (*)" : "team " + parts[0]) and \(parts[1]); they are added together.")
        }
    }

    /// Each team's budget for `window` (nil key: `*`); a team is present when any of its rows
    /// overlaps the window.
    func budgets(for window: ClosedRange<Day>, notes: inout Warnings) -> [String?: Amount] {
        var out: [String?: Amount] = [:]
        for (team, rows) in byTeam {
            var sum = Amount.zero
            var present = false
            for (m, amount) in rows.months {
                let inside = overlap(m.firstDay...m.lastDay, window)
                guard inside > 0 else { continue }
                present = true
                sum += amount.proratedByDays(inside, of: m.dayCount)
            }
            for (q, amount) in rows.quarters {
                guard overlap(q.days, window) > 0 else { continue }
                present = true
                let overridden = q.months.filter { rows.months[$0] != nil }
                if !overridden.isEmpty {
                    let who = team.map { "team \($0)" } ?? "the total (*)"
                    notes.add("\(who.prefix(1).uppercased() + who.dropFirst()) has a \(q) budget and month budgets for \(overridden.map(\.description).joined(separator: ", ")): the month rows are used for those months\(overridden.count < 3 ? ", the quarter row pro-rated by days for the rest of the quarter" : " and the quarter row is ignored").")
                }
                let inside = q.months.filter { rows.months[$0] == nil }.reduce(0) { $0 + overlap($1.firstDay...$1.lastDay, window) }
                sum += amount.proratedByDays(inside, of: q.days.count)
            }
            if present { out[team] = sum }
        }
        return out
    }

    func overlap(_ a: ClosedRange<Day>, _ b: ClosedRange<Day>) -> Int {
        max(0, Int(min(a.upperBound, b.upperBound).index) - Int(max(a.lowerBound, b.lowerBound).index) + 1)
    }
}

extension Amount {
    /// `self × part ÷ whole` (days inside ÷ days of a month or quarter) on the exact units,
    /// rounded once half-to-even to 10⁻¹⁵; exact when `part == whole`. Budgets and unit metrics
    /// of a month or quarter only partly inside a window are pro-rated with it.
    func proratedByDays(_ part: Int, of whole: Int) -> Amount {
        precondition(whole > 0 && part >= 0)
        if part == whole { return self }
        if part == 0 { return .zero }
        let (n, overflow) = units.multipliedReportingOverflow(by: Int128(part))
        if overflow || isOutOfRange { return .outOfRange }
        return Amount(units: Amount.roundHalfEven(quotient: n / Int128(whole), remainder: n % Int128(whole), divisor: Int128(whole)))
    }
}
