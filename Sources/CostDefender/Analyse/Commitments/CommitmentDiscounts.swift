/// Commitment discounts (reservations, savings plans, committed-use discounts) over a window of
/// days: coverage, utilisation and the effective savings rate, by month × provider, by provider,
/// in total, and per commitment (`CommitmentDiscountId`).
///
/// Definitions (FOCUS columns; "usage" is `ChargeCategory` = Usage throughout):
///
/// - **Committed usage**: usage with `PricingCategory` = Committed whose
///   `CommitmentDiscountStatus` is not Unused — the usage a commitment paid for.
/// - **Eligible usage**: usage with `PricingCategory` Standard (on demand) or Committed (not
///   Unused) in a (provider, service) pair that has committed usage anywhere in the data, not only
///   in the window. A service no commitment ever covered is not counted as eligible, so coverage
///   says how much of the usage commitments are known to apply to they actually covered. Dynamic
///   (spot) and Other pricing are never eligible.
/// - **Coverage** = committed usage ÷ eligible usage, both at `ListCost`, so the discount itself
///   does not shrink the covered share.
/// - **Utilisation** = used ÷ (used + unused), where used = `EffectiveCost` of usage rows with
///   `CommitmentDiscountStatus` Used and unused = `EffectiveCost` of usage rows with status Unused
///   (FOCUS puts the unused part of a commitment on its own rows with status Unused).
/// - **Effective savings rate (ESR)** = (`ListCost` − `EffectiveCost`) ÷ `ListCost` over all usage —
///   the FinOps Foundation's "ESR over list" (FOCUS use case *Determine Effective Savings Rate*).
///   It counts every rate reduction (commitments, negotiated rates, spot) and is lowered by unused
///   commitments, whose rows have an effective cost but no list cost. **Savings** is the numerator
///   in money.
/// - **Net commitment savings** = (`ListCost` − `EffectiveCost`) over committed usage and unused
///   rows: what commitments saved after paying for their unused part.
///
/// These figures always use the effective (amortised) cost, whatever the pack's cost basis:
/// billed cost shows a commitment's fee where it is paid (the purchase) and zero on the usage it
/// covers, so neither utilisation nor savings can be read from it. `basis` is kept so the report
/// can say so.
///
/// FOCUS 1.0 has no end-date column for a commitment, so its end is inferred from the days its
/// usage rows (used or unused) appear in the whole data: a commitment seen in the window whose
/// last row in the data is more than `graceDays` before the window's last day with any usage
/// *stopped appearing* (expired, sold or exchanged); one whose first row in the data is more than
/// `graceDays` after the window's first day with usage *started* in the window.
///
/// All sums are exact; ratios are nil when their denominator is zero.
public struct CommitmentDiscounts: Sendable {
    /// Days of tolerance before a commitment that no longer appears is flagged as stopped (and one
    /// that appears late as started): exports often lag by a day or two.
    public static let graceDays = 3

    /// Additive sums over usage rows; every ratio is derived from them.
    public struct Figures: Sendable, Hashable {
        /// `ListCost` of eligible usage (Standard or Committed, in a pair with committed usage).
        public var eligibleList = Amount.zero
        /// `ListCost` of committed usage (Committed, status not Unused).
        public var committedList = Amount.zero
        /// `EffectiveCost` of usage rows with `CommitmentDiscountStatus` Used.
        public var used = Amount.zero
        /// `EffectiveCost` of usage rows with `CommitmentDiscountStatus` Unused.
        public var unused = Amount.zero
        /// `ListCost` of all usage.
        public var list = Amount.zero
        /// `EffectiveCost` of all usage.
        public var effective = Amount.zero
        /// `ListCost` − `EffectiveCost` over usage priced Committed (used and unused rows).
        public var commitmentSavings = Amount.zero

        public init() {}

        public static func += (a: inout Figures, b: Figures) {
            a.eligibleList += b.eligibleList; a.committedList += b.committedList
            a.used += b.used; a.unused += b.unused
            a.list += b.list; a.effective += b.effective; a.commitmentSavings += b.commitmentSavings
        }

        /// Committed ÷ eligible usage at list cost; nil without eligible usage.
        public var coverage: Double? { Formatter.share(committedList, of: eligibleList) }
        /// Used ÷ (used + unused) at effective cost; nil when no commitment had cost.
        public var utilisation: Double? { Formatter.share(used, of: used + unused) }
        /// List − effective cost over usage.
        public var savings: Amount { list - effective }
        /// (List − effective) ÷ list over usage; nil without list cost.
        public var effectiveSavingsRate: Double? { Formatter.share(savings, of: list) }
        /// Whether anything at all was summed.
        public var isEmpty: Bool { self == Figures() }
    }

    public struct MonthLine: Sendable {
        public var month: Month
        public var provider: String
        public var figures: Figures
    }

    public struct ProviderLine: Sendable {
        public var provider: String
        public var figures: Figures
    }

    /// One commitment (`CommitmentDiscountId`) over the window, from its usage rows (used and unused).
    public struct Commitment: Sendable {
        public var id: String
        /// Its providers, sorted and joined (one in practice).
        public var provider: String
        public var used: Amount
        public var unused: Amount
        /// First and last day in the window with a usage row of this commitment.
        public var firstSeen: Day
        public var lastSeen: Day
        /// Utilisation below the threshold over the window.
        public var underUsed: Bool
        /// Its last row in the whole data is more than `graceDays` before the window's last day with usage.
        public var stopped: Bool
        /// Its first row in the whole data is more than `graceDays` after the window's first day with usage.
        public var started: Bool

        public var utilisation: Double? { Formatter.share(used, of: used + unused) }
        public var total: Amount { used + unused }
    }

    public let window: ClosedRange<Day>
    /// The pack's cost basis (these figures use effective cost regardless; see the type's notes).
    public let basis: CostBasis
    /// Utilisation below which a commitment is under-used (0–1).
    public let underUsedBelow: Double
    /// First and last day in the window with any usage row; nil when there is none.
    public private(set) var usageDays: ClosedRange<Day>?

    /// Window totals.
    public private(set) var total = Figures()
    /// By month × provider, sorted by month then provider.
    public private(set) var months: [MonthLine] = []
    /// By provider over the window, sorted by provider.
    public private(set) var providers: [ProviderLine] = []
    /// Commitments seen in the window, largest unused cost first, then largest total, then id.
    public private(set) var commitments: [Commitment] = []
    /// (provider, service) pairs with committed usage anywhere in the data, as "provider · service".
    public private(set) var eligibleServices: [String] = []
    /// Whether any usage row of the whole data (not only the window) is priced Committed or names a commitment.
    public private(set) var dataHasCommitments = false

    public var coverage: Double? { total.coverage }
    public var utilisation: Double? { total.utilisation }
    public var effectiveSavingsRate: Double? { total.effectiveSavingsRate }
    public var savings: Amount { total.savings }
    /// Whether any usage row in the window is priced Committed or names a commitment.
    public private(set) var hasCommitments = false
    public var underUsed: [Commitment] { commitments.filter(\.underUsed) }
    public var stopped: [Commitment] { commitments.filter(\.stopped) }
    public var started: [Commitment] { commitments.filter(\.started) }

    public init(_ q: FactQuery, window: ClosedRange<Day>, basis: CostBasis, underUsedBelow: Double = 0.8) {
        self.window = window
        self.basis = basis
        self.underUsedBelow = underUsedBelow
        let cube = q.costs.cube
        func index(_ d: Dimension, _ value: String) -> Int32? {
            cube.tables[d.rawValue].firstIndex(of: value).map { Int32($0) }
        }
        // Values are canonicalised on load (FOCUSColumns.canonicalValues), so exact matches suffice.
        let usage = index(.chargeCategory, "Usage")
        let committed = index(.pricingCategory, "Committed")
        let standard = index(.pricingCategory, "Standard")
        let usedStatus = index(.commitmentStatus, "Used")
        let unusedStatus = index(.commitmentStatus, "Unused")
        guard let usage else { return }

        func isUsage(_ k: CubeKey) -> Bool { k[.chargeCategory] == usage }
        func isCommitted(_ k: CubeKey) -> Bool { committed != nil && k[.pricingCategory] == committed }
        func isUnused(_ k: CubeKey) -> Bool { unusedStatus != nil && k[.commitmentStatus] == unusedStatus }
        func isCommittedUsage(_ k: CubeKey) -> Bool { isCommitted(k) && !isUnused(k) }

        struct Pair: Hashable { var provider: Int32; var service: Int32 }
        var eligiblePairs = Set<Pair>()
        // First and last day of each commitment's usage rows in the whole data.
        var lifetimes: [Int32: ClosedRange<Day>] = [:]
        var dataHasCommitments = false
        if let first = q.costs.facts.first?.day, let last = q.costs.facts.last?.day {
            // Rows of whole months: each row spans its first to its last day.
            q.forEachRow(in: first...last) { f, lastDay in
                guard isUsage(f.key) else { return }
                let id = f.key[.commitmentDiscount]
                if isCommitted(f.key) || id != 0 { dataHasCommitments = true }
                if isCommittedUsage(f.key) { eligiblePairs.insert(Pair(provider: f.key[.provider], service: f.key[.service])) }
                if id != 0 && f.key[.commitmentStatus] != 0 && (f.key[.commitmentStatus] == usedStatus || isUnused(f.key)) {
                    let d = f.day, e = Day(index: lastDay)
                    lifetimes[id] = lifetimes[id].map { min($0.lowerBound, d)...max($0.upperBound, e) } ?? d...e
                }
            }
        }
        self.dataHasCommitments = dataHasCommitments
        func providerName(_ i: Int32) -> String { Self.name(cube.tables[Dimension.provider.rawValue][Int(i)]) }
        eligibleServices = eligiblePairs.map { "\(providerName($0.provider)) · \(Self.name(cube.tables[Dimension.service.rawValue][Int($0.service)]))" }.sorted()

        struct MonthKey: Hashable { var month: Month; var provider: Int32 }
        struct Seen { var used = Amount.zero, unused = Amount.zero, first: Day, last: Day, providers: Set<Int32> = [] }
        var byMonth: [MonthKey: Figures] = [:]
        var byCommitment: [Int32: Seen] = [:]
        var firstUsageDay: Day?, lastUsageDay: Day?
        var hasCommitments = false
        q.forEachRow(in: window) { f, lastDayIndex in
            guard isUsage(f.key) else { return }
            let k = f.key, m = f.measures
            // A row of a whole month spans `day` to `lastDay`.
            let day = f.day, lastDay = Day(index: lastDayIndex)
            firstUsageDay = min(firstUsageDay ?? day, day)
            lastUsageDay = max(lastUsageDay ?? lastDay, lastDay)
            var x = Figures()
            x.list = m.list
            x.effective = m.effective
            if isCommitted(k) {
                hasCommitments = true
                x.commitmentSavings = m.list - m.effective
            }
            if isCommittedUsage(k) { x.committedList = m.list }
            if (isCommittedUsage(k) || (standard != nil && k[.pricingCategory] == standard))
                && eligiblePairs.contains(Pair(provider: k[.provider], service: k[.service])) {
                x.eligibleList = m.list
            }
            let isUsed = usedStatus != nil && k[.commitmentStatus] == usedStatus
            if isUsed { x.used = m.effective }
            if isUnused(k) { x.unused = m.effective }
            byMonth[MonthKey(month: day.month, provider: k[.provider]), default: Figures()] += x
            let id = k[.commitmentDiscount]
            if id != 0 && (isUsed || isUnused(k)) {
                var s = byCommitment[id] ?? Seen(first: day, last: lastDay)
                s.used += x.used; s.unused += x.unused
                s.first = min(s.first, day); s.last = max(s.last, lastDay)
                s.providers.insert(k[.provider])
                byCommitment[id] = s
            }
            if id != 0 { hasCommitments = true }
        }
        self.hasCommitments = hasCommitments
        if let a = firstUsageDay, let b = lastUsageDay { usageDays = a...b }

        months = byMonth.map { MonthLine(month: $0.key.month, provider: providerName($0.key.provider), figures: $0.value) }
            .sorted { $0.month != $1.month ? $0.month < $1.month : $0.provider < $1.provider }
        var byProvider: [String: Figures] = [:]
        for line in months {
            byProvider[line.provider, default: Figures()] += line.figures
            total += line.figures
        }
        providers = byProvider.map { ProviderLine(provider: $0.key, figures: $0.value) }.sorted { $0.provider < $1.provider }

        let grace = Self.graceDays
        commitments = byCommitment.map { id, s in
            let utilisation = Formatter.share(s.used, of: s.used + s.unused)
            return Commitment(
                id: cube.tables[Dimension.commitmentDiscount.rawValue][Int(id)],
                provider: s.providers.map(providerName).sorted().joined(separator: ", "),
                used: s.used, unused: s.unused, firstSeen: s.first, lastSeen: s.last,
                underUsed: utilisation.map { $0 < underUsedBelow } ?? false,
                stopped: lastUsageDay.map { (lifetimes[id]?.upperBound ?? s.last) < $0.advanced(by: -grace) } ?? false,
                started: firstUsageDay.map { (lifetimes[id]?.lowerBound ?? s.first) > $0.advanced(by: grace) } ?? false)
        }.sorted {
            if $0.unused != $1.unused { return $0.unused > $1.unused }
            if $0.total != $1.total { return $0.total > $1.total }
            return $0.id < $1.id
        }
    }

    static func name(_ s: String) -> String { s.isEmpty ? "(none)" : s }
}
