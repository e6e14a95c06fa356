import Foundation

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
    /// a fact's month. Many facts are summed in two runs of whole months, one on each core: the
    /// runs share no month, so their rows simply follow one another.
    init(_ facts: [CostFact], month: @Sendable (CostFact) -> Int32) {
        // The first fact of the month in the middle (or of the next month, if that is the first).
        var split = facts.count / 2
        if facts.count >= Self.parallelFacts {
            let middle = month(facts[split])
            while split > 0 && month(facts[split - 1]) == middle { split -= 1 }
            if split == 0 { while split < facts.count && month(facts[split]) == middle { split += 1 } }
        }
        guard facts.count >= Self.parallelFacts, split > 0, split < facts.count else {
            (rows, lastDays) = Self.sum(facts[...], month: month)
            return
        }
        final class Runs: @unchecked Sendable {
            let lock = NSLock()
            var parts: [(rows: [CostFact], lastDays: [Int32])] = [([], []), ([], [])]
        }
        let runs = Runs(), at = split
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let part = Self.sum(i == 0 ? facts[..<at] : facts[at...], month: month)
            runs.lock.lock(); runs.parts[i] = part; runs.lock.unlock()
        }
        rows = runs.parts[0].rows + runs.parts[1].rows
        lastDays = runs.parts[0].lastDays + runs.parts[1].lastDays
    }

    /// Below this many facts the rows are summed on one core.
    static let parallelFacts = 20_000

    /// The rows of `facts` (in day order), in month order and first sight within a month.
    static func sum(_ facts: ArraySlice<CostFact>, month: (CostFact) -> Int32) -> (rows: [CostFact], lastDays: [Int32]) {
        var rows: [CostFact] = [], lastDays: [Int32] = []
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
        return (rows, lastDays)
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
