/// Sums allocated facts over a window of days, grouped by any key. The one place where facts
/// are rolled up, so every table of the pack is a roll-up of the same numbers.
public struct FactQuery {
    public let costs: AllocatedCosts
    /// The first fact's day, and the month of every day from it to the last fact's day, so a
    /// fact's month is a lookup rather than a civil-date conversion.
    private let firstDay: Int32
    private let months: [Month]

    public init(_ costs: AllocatedCosts) {
        self.costs = costs
        let first = costs.facts.first?.key.time ?? 0, last = costs.facts.last?.key.time ?? -1
        firstDay = first
        months = (first...max(first, last)).map { Day(index: $0).month }
    }

    /// The month of a fact's day (equal to `f.day.month`).
    @inline(__always)
    public func month(of f: CostFact) -> Month { months[Int(f.key.time &- firstDay)] }

    public func sum<K: Hashable>(_ days: ClosedRange<Day>, where include: (CostFact) -> Bool = { _ in true }, by key: (CostFact) -> K) -> [K: CostMeasures] {
        var out: [K: CostMeasures] = [:]
        for f in facts(in: days) where include(f) {
            out[key(f), default: CostMeasures()] += f.measures
        }
        return out
    }

    /// The same sums as `sum(days, where: include, by: { name(code($0)) })`, grouped first by a
    /// `GroupCode` of dense ids (cheap to hash) and named once per code: codes that name the
    /// same key are added together. Use it when the key holds names (strings) the ids stand for.
    public func sum<K: Hashable>(_ days: ClosedRange<Day>, where include: (CostFact) -> Bool = { _ in true },
                                 code: (CostFact) -> GroupCode, name: (GroupCode) -> K) -> [K: CostMeasures] {
        var groups = GroupSums()
        for f in facts(in: days) where include(f) { groups.add(code(f), f.measures) }
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
        for f in facts(in: days) { t += f.measures }
        return t
    }
}
