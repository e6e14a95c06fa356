import Testing
@testable import CostDefender

/// `FactQuery.forEachRow` visits whole months of a window as `MonthlyFacts` rows: for any window,
/// the rows must add up, group by group, to exactly the daily facts they replace, and span the
/// same first and last days.
@Suite struct MonthlyFactsTests {
    /// Random cells over ~7 months (from mid-month), with direct, unallocated and pooled cost.
    static func query(seed: UInt64, cells: Int = 4_000) -> FactQuery {
        var random = SplitMix64(state: seed)
        var cube = CostCube()
        for d in [Dimension.subAccount, .service, .region, .chargeCategory] { cube.tables[d.rawValue] = ["", "a", "b", "c"] }
        let start = Day(year: 2025, month: 1, day: 17)
        for _ in 0..<cells {
            var k = CubeKey(time: start.index + Int32(random.next() % 200))
            for d in [Dimension.subAccount, .service, .region, .chargeCategory] { k[d] = Int32(random.next() % 4) }
            var m = CostMeasures()
            m.billed = Amount(units: Int128(random.next() % 1_000_000_000_000_000_000) - 200_000_000_000_000_000)
            m.effective = Amount(units: Int128(random.next() % 1_000_000_000_000_000))
            m.list = m.billed
            m.rows = 1
            cube.daily.add(k, m)
        }
        var allocation = Configuration.Allocation()
        allocation.accounts = ["a": "payments", "b": "search"]
        allocation.rules = [AllocationRule(conditions: [RuleCondition(field: .service, values: ["c"])], target: .pool("platform"))]
        allocation.pools = [SharedPool(name: "platform", split: .proportionalToDirectCost)]
        return FactQuery(Allocator(config: allocation, costBasis: .effective).allocate(cube))
    }

    struct Group: Hashable {
        var dimensions: CubeKey
        var month: Month
        var team: Int32
        var product: Int32
        var source: AllocationSource
        var pool: Int32
    }

    struct Sum: Equatable {
        var measures = CostMeasures()
        var first = Int32.max
        var last = Int32.min
    }

    static func group(_ q: FactQuery, _ f: CostFact) -> Group {
        var dimensions = f.key
        dimensions.time = 0
        return Group(dimensions: dimensions, month: q.month(of: f), team: f.team, product: f.product, source: f.source, pool: f.pool)
    }

    static func daily(_ q: FactQuery, _ days: ClosedRange<Day>) -> [Group: Sum] {
        var out: [Group: Sum] = [:]
        for f in q.facts(in: days) {
            var s = out[group(q, f), default: Sum()]
            s.measures += f.measures; s.first = min(s.first, f.key.time); s.last = max(s.last, f.key.time)
            out[group(q, f)] = s
        }
        return out
    }

    static func rows(_ q: FactQuery, _ days: ClosedRange<Day>) -> [Group: Sum] {
        var out: [Group: Sum] = [:]
        q.forEachRow(in: days) { f, last in
            var s = out[group(q, f), default: Sum()]
            s.measures += f.measures; s.first = min(s.first, f.key.time); s.last = max(s.last, last)
            out[group(q, f)] = s
        }
        return out
    }

    @Test func rowsAddUpToTheDailyFactsOfAnyWindow() {
        let q = Self.query(seed: 11)
        #expect(q.monthly.rows.count < q.costs.facts.count / 2)
        #expect(Set(q.costs.facts.map(\.source)).count >= 3)
        var windows: [ClosedRange<Day>] = [
            Day(year: 2025, month: 2, day: 1)...Day(year: 2025, month: 4, day: 30),     // whole months
            Day(year: 2025, month: 1, day: 1)...Day(year: 2025, month: 3, day: 31),     // before the data
            Day(year: 2025, month: 2, day: 10)...Day(year: 2025, month: 5, day: 20),    // partial at both ends
            Day(year: 2025, month: 3, day: 1)...Day(year: 2025, month: 3, day: 31),     // one month
            Day(year: 2025, month: 3, day: 2)...Day(year: 2025, month: 3, day: 30),     // inside one month
            Day(year: 2024, month: 1, day: 1)...Day(year: 2026, month: 12, day: 31),    // everything
            Day(year: 2026, month: 1, day: 1)...Day(year: 2026, month: 3, day: 31),     // no data
        ]
        var random = SplitMix64(state: 5)
        let first = Day(year: 2025, month: 1, day: 1)
        for _ in 0..<40 {
            let a = first.advanced(by: Int(random.next() % 240)), b = first.advanced(by: Int(random.next() % 240))
            windows.append(min(a, b)...max(a, b))
        }
        for w in windows {
            let expected = Self.daily(q, w)
            #expect(Self.rows(q, w) == expected, "window \(w)")
            var total = CostMeasures()
            for s in expected.values { total += s.measures }
            #expect(q.total(w) == total, "window \(w)")
        }
    }

    @Test func rowsStayInsideTheirMonth() {
        let q = Self.query(seed: 12)
        for (f, last) in zip(q.monthly.rows, q.monthly.lastDays) {
            #expect(f.day.month == Day(index: last).month && f.key.time <= last)
        }
        let months = q.monthly.rows.map { q.month(of: $0) }
        #expect(months == months.sorted())
    }

    /// Enough facts to be summed in two runs of whole months on two cores: the rows are exactly
    /// those of one run over all the facts, in the same order.
    @Test func twoRunsGiveTheRowsOfOne() {
        let q = Self.query(seed: 13, cells: 60_000)
        #expect(q.costs.facts.count >= MonthlyFacts.parallelFacts)
        let one = MonthlyFacts.sum(q.costs.facts[...]) { Int32(q.month(of: $0).ordinal) }
        #expect(q.monthly.rows.count == one.rows.count)
        #expect(q.monthly.lastDays == one.lastDays)
        #expect(zip(q.monthly.rows, one.rows).allSatisfy { a, b in
            a.key == b.key && a.team == b.team && a.product == b.product && a.source == b.source && a.pool == b.pool && a.measures == b.measures
        })
    }

    @Test func sourceOrdinalIsThePositionInAllCases() {
        #expect(AllocationSource.allCases.map(\.ordinal) == Array(0..<Int32(AllocationSource.allCases.count)))
    }
}
