/// Sums allocated facts over a window of days, grouped by any key. The one place where facts
/// are rolled up, so every table of the pack is a roll-up of the same numbers.
public struct FactQuery {
    public let costs: AllocatedCosts
    public init(_ costs: AllocatedCosts) { self.costs = costs }

    public func sum<K: Hashable>(_ days: ClosedRange<Day>, where include: (CostFact) -> Bool = { _ in true }, by key: (CostFact) -> K) -> [K: CostMeasures] {
        var out: [K: CostMeasures] = [:]
        let lo = days.lowerBound.index, hi = days.upperBound.index
        for f in costs.facts where f.key.time >= lo && f.key.time <= hi && include(f) {
            out[key(f), default: CostMeasures()] += f.measures
        }
        return out
    }

    public func total(_ days: ClosedRange<Day>) -> CostMeasures {
        sum(days) { _ in 0 }[0] ?? CostMeasures()
    }
}
