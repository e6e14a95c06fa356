/// The allocated facts summed by month: one row per month and distinct (cell dimensions, team,
/// product, source, pool). A month has a row per such combination rather than one per cell and
/// day (about 30 times fewer at 1 M rows), so a window of whole months is a short walk.
///
/// Invariants: every daily fact is summed into exactly one row, so the rows of a month sum
/// exactly to its facts; a row is a `CostFact` whose `key.time` is the first day (of its month)
/// it sums and `lastDays[i]` the last, so its month is its day's month; rows are in month order
/// (within a month, in order of first sight along the facts, which are in day order).
struct MonthlyFacts: Sendable {
    private(set) var rows: [CostFact] = []
    private(set) var lastDays: [Int32] = []

    /// `facts` must be in day order (as `AllocatedCosts.facts` are); `month(f)` is the ordinal of
    /// a fact's month.
    init(_ facts: [CostFact], month: (CostFact) -> Int32) {
        var cells = CubeKeyIndex(initialSlots: 1024)
        var groups = DenseKeyIndex<GroupCode>(initialSlots: 1024)
        for f in facts {
            var dimensions = f.key
            dimensions.time = 0
            let cell = cells.id(of: dimensions)
            let id = Int(groups.id(of: GroupCode(month(f), cell, f.team, f.product, f.source.ordinal, f.pool, 0, 0)))
            if id == rows.count {
                rows.append(f); lastDays.append(f.key.time)
            } else {
                rows[id].measures += f.measures
                lastDays[id] = f.key.time
            }
        }
    }

    /// Rows whose month is in `months` (ordinals): a slice found by binary search.
    func indices(months: ClosedRange<Int32>, month: (CostFact) -> Int32) -> Range<Int> {
        func first(atLeast m: Int32) -> Int {
            var lo = 0, hi = rows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if month(rows[mid]) < m { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return first(atLeast: months.lowerBound)..<first(atLeast: months.upperBound + 1)
    }
}

extension AllocationSource {
    /// The case's position in `allCases`: a small integer for arrays and group codes.
    var ordinal: Int32 {
        switch self {
        case .rule: 0
        case .tag: 1
        case .account: 2
        case .shared: 3
        case .unallocated: 4
        }
    }
}
