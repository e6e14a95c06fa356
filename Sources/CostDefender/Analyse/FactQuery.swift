/// Sums allocated facts over a window of days, grouped by any key. The one place where facts
/// are rolled up, so every table of the pack is a roll-up of the same numbers.
public struct FactQuery {
    public let costs: AllocatedCosts
    /// The first fact's day, and the month of every day from it to the last fact's day, so a
    /// fact's month is a lookup rather than a civil-date conversion.
    private let firstDay: Int32
    private let months: [Month]
    /// The facts summed by month, for windows of whole months (`forEachRow`).
    let monthly: MonthlyFacts
    /// `costs.cube.dayRange`, found once (it is a walk over every cube cell).
    public let dayRange: ClosedRange<Day>?

    public init(_ costs: AllocatedCosts) {
        self.costs = costs
        let first = costs.facts.first?.key.time ?? 0, last = costs.facts.last?.key.time ?? -1
        firstDay = first
        let months = (first...max(first, last)).map { Day(index: $0).month }
        self.months = months
        dayRange = costs.cube.dayRange
        monthly = MonthlyFacts(costs.facts) { Int32(months[Int($0.key.time &- first)].ordinal) }
    }

    /// The month of a fact's day (equal to `f.day.month`).
    @inline(__always)
    public func month(of f: CostFact) -> Month { months[Int(f.key.time &- firstDay)] }

    /// The ordinal of a fact's month (`month(of: f).ordinal`).
    @inline(__always)
    func monthOrdinal(of f: CostFact) -> Int32 { Int32(month(of: f).ordinal) }

    /// Visits the facts of `days`, with each whole month inside the window visited as its
    /// `MonthlyFacts` rows rather than its daily facts: the same measures in far fewer visits.
    /// `body` gets each fact and the last day it sums (a daily fact's own day). A row's
    /// `key.time` is only the first day it sums, so `body` may rely on a fact's month (and any
    /// other field), never on its day.
    @inline(__always)
    public func forEachRow(in days: ClosedRange<Day>, _ body: (_ fact: CostFact, _ lastDay: Int32) -> Void) {
        let lo = days.lowerBound, hi = days.upperBound
        let firstWhole = lo == lo.month.firstDay ? lo.month : lo.month.advanced(by: 1)
        let lastWhole = hi == hi.month.lastDay ? hi.month : hi.month.advanced(by: -1)
        guard firstWhole <= lastWhole else {
            for f in facts(in: days) { body(f, f.key.time) }
            return
        }
        if lo < firstWhole.firstDay { for f in facts(in: lo...firstWhole.firstDay.advanced(by: -1)) { body(f, f.key.time) } }
        let rows = monthly.indices(months: Int32(firstWhole.ordinal)...Int32(lastWhole.ordinal), month: monthOrdinal)
        for i in rows { body(monthly.rows[i], monthly.lastDays[i]) }
        if lastWhole.lastDay < hi { for f in facts(in: lastWhole.lastDay.advanced(by: 1)...hi) { body(f, f.key.time) } }
    }

    /// Sums of facts of `days` by a key of anything but their day (see `forEachRow`).
    public func sum<K: Hashable>(_ days: ClosedRange<Day>, where include: (CostFact) -> Bool = { _ in true }, by key: (CostFact) -> K) -> [K: CostMeasures] {
        var out: [K: CostMeasures] = [:]
        forEachRow(in: days) { f, _ in
            if include(f) { out[key(f), default: CostMeasures()] += f.measures }
        }
        return out
    }

    /// The same sums as `sum(days, where: include, by: { name(code($0)) })`, grouped first by a
    /// `GroupCode` of dense ids (cheap to hash) and named once per code: codes that name the
    /// same key are added together. Use it when the key holds names (strings) the ids stand for.
    /// `include` and `code` see `forEachRow`'s rows: they may read a fact's month, not its day.
    public func sum<K: Hashable>(_ days: ClosedRange<Day>, where include: (CostFact) -> Bool = { _ in true },
                                 code: (CostFact) -> GroupCode, name: (GroupCode) -> K) -> [K: CostMeasures] {
        var groups = GroupSums()
        forEachRow(in: days) { f, _ in
            if include(f) { groups.add(code(f), f.measures) }
        }
        var out: [K: CostMeasures] = [:]
        out.reserveCapacity(groups.keys.count)
        for (c, m) in zip(groups.keys, groups.sums) { out[name(c), default: CostMeasures()] += m }
        return out
    }

    /// The facts of a window of days: a slice, found by binary search (facts are sorted by day).
    public func facts(in days: ClosedRange<Day>) -> ArraySlice<CostFact> {
        let facts = costs.facts
        func firstIndex(atLeast t: Int32) -> Int {
            var lo = 0, hi = facts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if facts[mid].key.time < t { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return facts[firstIndex(atLeast: days.lowerBound.index)..<firstIndex(atLeast: days.upperBound.index + 1)]
    }

    public func total(_ days: ClosedRange<Day>) -> CostMeasures {
        var t = CostMeasures()
        forEachRow(in: days) { f, _ in t += f.measures }
        return t
    }
}
