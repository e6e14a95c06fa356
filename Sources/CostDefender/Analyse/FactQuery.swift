/// Sums allocated facts over a window of days, grouped by any key. The one place where facts
/// are rolled up, so every table of the pack is a roll-up of the same numbers.
public struct FactQuery {
    public let costs: AllocatedCosts
    public init(_ costs: AllocatedCosts) { self.costs = costs }

    public func sum<K: Hashable>(_ days: ClosedRange<Day>, where include: (CostFact) -> Bool = { _ in true }, by key: (CostFact) -> K) -> [K: CostMeasures] {
        var out: [K: CostMeasures] = [:]
        for f in facts(in: days) where include(f) {
            out[key(f), default: CostMeasures()] += f.measures
        }
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
        sum(days) { _ in 0 }[0] ?? CostMeasures()
    }
}
