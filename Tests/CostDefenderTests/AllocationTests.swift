import Testing
@testable import CostDefender

@Suite struct AllocationTests {
    func measures(_ cents: Int) -> CostMeasures {
        var m = CostMeasures()
        m.billed = Amount(cents: cents); m.effective = Amount(cents: cents); m.rows = 1
        return m
    }

    @Test func splitsExactlyWithTheRemainderToTheLargestRecipient() {
        // $100.00 over weights 1:2 → 33.333…333 and 66.666…667 (the larger takes the remainder).
        let parts = Allocator.split(measures(10_000), weights: [(1, 1), (2, 2)])
        #expect(parts[0].1.billed.exactDescription == "33.333333333333333")
        #expect(parts[1].1.billed.exactDescription == "66.666666666666667")
        #expect(parts[0].1.billed + parts[1].1.billed == Amount(cents: 10_000))
        // Even split of $10.00 over three: the first (all weights equal) takes the remainder.
        let even = Allocator.split(measures(1_000), weights: [(1, 1), (2, 1), (3, 1)])
        #expect(even.map { $0.1.billed.exactDescription } == ["3.333333333333334", "3.333333333333333", "3.333333333333333"])
        // Negative pools (credits) split exactly too.
        let credit = Allocator.split(measures(-1_000), weights: [(1, 3), (2, 1)])
        #expect(credit[0].1.billed + credit[1].1.billed == Amount(cents: -1_000))
        #expect(credit[1].1.billed.exactDescription == "-2.5")
    }

    @Test func splitPropertyHoldsForManyPools() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let cents = Int.random(in: -1_000_000...1_000_000, using: &rng)
            let weights = (0..<Int.random(in: 1...9, using: &rng)).map { (Int32($0), Int128(Int.random(in: 1...1_000_000, using: &rng))) }
            let parts = Allocator.split(measures(cents), weights: weights)
            #expect(parts.reduce(Amount.zero) { $0 + $1.1.billed } == Amount(cents: cents))
            #expect(parts.reduce(0) { $0 + $1.1.rows } == 1)
        }
    }

    /// A hand-made cube: tagged, account-mapped, rule-matched, pooled and untagged cost.
    func cube() throws -> CostCube {
        let dir = TestFiles.tempDir()
        let rows = [
            TestFiles.focusHeader,
            TestFiles.focusRow(billed: "60", tags: "\"{\"\"team\"\": \"\"Payments\"\"}\""),          // alias → payments
            TestFiles.focusRow(billed: "30", tags: "\"{\"\"team\"\": \"\"search\"\"}\""),
            TestFiles.focusRow(billed: "10", account: "222"),                                          // account → data
            TestFiles.focusRow(billed: "9", service: "AWS Support"),                                   // rule → pool
            TestFiles.focusRow(billed: "5", account: "999", resource: "i-orphan"),                     // unallocated
            TestFiles.focusRow(billed: "2", service: "AWS Security Hub"),                              // rule → security
        ]
        TestFiles.write(rows.joined(separator: "\n"), to: dir + "/c.csv")
        let reader = FOCUSReader(relevantTagKeys: ["team"], teamTagKeys: ["team"])
        var cube = CostCube()
        var d = Diagnostics()
        _ = try reader.read(file: dir + "/c.csv", into: &cube, diagnostics: &d)
        return cube
    }

    func config(_ split: SharedPool.Split) -> Configuration.Allocation {
        var a = Configuration.Allocation()
        a.teamTags = ["team"]
        a.teamAliases = ["Payments": "payments"]
        a.accounts = ["222": "data"]
        a.rules = [AllocationRule(conditions: [RuleCondition(field: .service, values: ["AWS Support"])], target: .pool("support")),
                   AllocationRule(conditions: [RuleCondition(field: .service, values: ["aws security hub"])], target: .team("security"))]
        a.pools = [SharedPool(name: "support", split: split)]
        return a
    }

    func byTeam(_ a: AllocatedCosts) -> [String: Amount] {
        var out: [String: Amount] = [:]
        for f in a.facts { out[a.team(f), default: .zero] += f.measures.effective }
        return out
    }

    @Test func assignsByRuleTagAccountAndSharesPoolsByDirectCost() throws {
        let allocated = Allocator(config: config(.proportionalToDirectCost), costBasis: .effective).allocate(try cube())
        let teams = byTeam(allocated)
        // Direct: payments 60, search 30, data 10, security 2 (Σ 102); pool 9 split in proportion.
        // Floors: 5.294117647058823 + 2.647058823529411 + 0.882352941176470 + 0.176470588235294
        // = 8.999999999999998; the 2-unit remainder goes to payments, the largest recipient.
        #expect(teams["payments"]!.exactDescription == "65.294117647058825")
        #expect(teams["search"]!.exactDescription == "32.647058823529411")
        #expect(teams["data"]!.exactDescription == "10.88235294117647")
        #expect(teams["security"]!.exactDescription == "2.176470588235294")
        #expect(teams[AllocatedCosts.unallocatedTeam] == Amount(whole: 5))
        #expect(teams.values.reduce(.zero, +) == Amount(whole: 116))
        let sources = Set(allocated.facts.map(\.source))
        #expect(sources == [.tag, .account, .rule, .shared, .unallocated])
    }

    @Test func evenAndFixedSplits() throws {
        let even = byTeam(Allocator(config: config(.even), costBasis: .effective).allocate(try cube()))
        #expect(even["search"]! - Amount(whole: 30) == Amount(cents: 225))   // 9 / 4 teams
        let fixed = byTeam(Allocator(config: config(.fixed(["payments": 0.5, "data": 0.5])), costBasis: .effective).allocate(try cube()))
        #expect(fixed["data"]! == Amount(cents: 1450))
        #expect(fixed["search"]! == Amount(whole: 30))
    }

    @Test func coverageBeforeAndAfterSharing() throws {
        let allocated = Allocator(config: config(.even), costBasis: .effective).allocate(try cube())
        let day = Day(year: 2025, month: 1, day: 15)
        let period = ReportingPeriod(quarter: FiscalCalendar(startMonth: 1).quarter(containing: day), days: day...day, comparison: day...day)
        let c = AllocationCoverage(FactQuery(allocated), period: period, basis: .effective,
                                   allocator: Allocator(config: config(.even), costBasis: .effective), mandatoryTags: ["team"])
        #expect(abs(c.before! - 102.0 / 116) < 1e-12)
        #expect(abs(c.after! - 111.0 / 116) < 1e-12)
        #expect(c.unallocatedDrivers.map(\.resource) == ["i-orphan"])
        #expect(c.unallocatedDrivers.first?.cost == Amount(whole: 5))
        // Overall compliance counts every dollar (the pooled support cost is untagged spend);
        // by team, shared splits do not count against the recipients.
        #expect(abs(c.compliance[0].share! - 90.0 / 116) < 1e-12)
        #expect(c.compliance[0].byTeam["search"] == 1)
        #expect(c.compliance[0].byTeam["data"] == 0)
    }
}

@Suite struct PeriodTests {
    @Test func fiscalQuartersWithAFebruaryStart() {
        let cal = FiscalCalendar(startMonth: 2)
        #expect(cal.quarter(containing: Month(year: 2025, month: 2)).description == "FY2026-Q1")
        #expect(cal.quarter(containing: Month(year: 2026, month: 1)).description == "FY2026-Q4")
        #expect(cal.quarter(containing: Month(year: 2025, month: 1)).description == "FY2025-Q4")
        #expect(cal.parseQuarter("FY2026-Q3")?.firstMonth == Month(year: 2025, month: 8))
        #expect(cal.parseQuarter("FY2026-Q5") == nil)
        let calendarYear = FiscalCalendar(startMonth: 1)
        #expect(calendarYear.quarter(containing: Month(year: 2025, month: 12)).description == "FY2025-Q4")
    }

    @Test func periodsAreCompleteQuartersPlusTheQuarterToDate() {
        let cal = FiscalCalendar(startMonth: 1)
        let periods = ReportingPeriod.all(data: Day(year: 2025, month: 2, day: 10)...Day(year: 2025, month: 8, day: 20),
                                          asOf: Day(year: 2025, month: 8, day: 20), calendar: cal)
        #expect(periods.map(\.name) == ["FY2025-Q1", "FY2025-Q2", "FY2025-Q3"])
        #expect(periods[1].isComplete)
        #expect(!periods[2].isComplete)
        #expect(periods[2].days.upperBound.description == "2025-08-20")
        // The quarter to date compares with the same elapsed days of the prior quarter.
        #expect(periods[2].comparison.lowerBound.description == "2025-04-01")
        #expect(periods[2].comparison.upperBound.description == "2025-05-21")   // 51 days each, inclusive
        #expect(periods[1].comparison == Day(year: 2025, month: 1, day: 1)...Day(year: 2025, month: 3, day: 31))
    }
}
