import Foundation
import Testing
@testable import CostDefender

/// Unit economics on a hand-made FOCUS file, fiscal year = calendar year, data from January 2025.
///
/// | month | payments (checkout) | search (search-ui) | unallocated | support pool | organisation |
/// |---|---|---|---|---|---|
/// | Jan | 200 | 100 | 10 | 20 (10 each) | 330 |
/// | Feb | 200 | 100 | 30 | | 330 |
/// | Mar | 200 | 100 | 40 | | 340 |
/// | Apr | 220 | 100 | 40 | | 360 |
/// | May | 220 | 120 | 30 | | 370 |
/// | Jun | 230 | 110 | 30 | | 370 |
///
/// Q1 = 1,000 and Q2 = 1,100 for the organisation; payments 610 and 670 (its share of the pool
/// included); product search-ui 300 and 330 (the pool's cost has no product).
@Suite struct UnitEconomicsTests {
    static func row(_ amount: String, _ day: String, team: String? = nil, product: String? = nil, service: String = "Amazon EC2") -> String {
        var pairs: [String] = []
        if let team { pairs.append("\"\"team\"\": \"\"\(team)\"\"") }
        if let product { pairs.append("\"\"product\"\": \"\"\(product)\"\"") }
        let tags = pairs.isEmpty ? "NULL" : "\"{" + pairs.joined(separator: ", ") + "}\""
        return TestFiles.focusRow(billed: amount, day: day + "T00:00:00Z", service: service, tags: tags)
    }

    static let costRows: [String] = {
        let months = ["01", "02", "03", "04", "05", "06"]
        let payments = ["200", "200", "200", "220", "220", "230"]
        let search = ["100", "100", "100", "100", "120", "110"]
        let unallocated = ["10", "30", "40", "40", "30", "30"]
        var rows: [String] = []
        for i in months.indices {
            rows.append(row(payments[i], "2025-\(months[i])-05", team: "payments", product: "checkout"))
            rows.append(row(search[i], "2025-\(months[i])-12", team: "search", product: "search-ui"))
            rows.append(row(unallocated[i], "2025-\(months[i])-20"))
        }
        rows.append(row("20", "2025-01-25", service: "AWS Support"))
        return rows
    }()

    static func query() throws -> FactQuery {
        let dir = TestFiles.tempDir()
        TestFiles.write(([TestFiles.focusHeader] + costRows).joined(separator: "\n"), to: dir + "/focus.csv")
        var cube = CostCube()
        var d = Diagnostics()
        _ = try FOCUSReader(relevantTagKeys: ["team", "product"], teamTagKeys: ["team"]).read(file: dir + "/focus.csv", into: &cube, diagnostics: &d)
        var allocation = Configuration.Allocation()
        allocation.teamTags = ["team"]
        allocation.productTags = ["product"]
        allocation.rules = [AllocationRule(conditions: [RuleCondition(field: .service, values: ["AWS Support"])], target: .pool("support"))]
        allocation.pools = [SharedPool(name: "support", split: .even)]
        return FactQuery(Allocator(config: allocation, costBasis: .effective).allocate(cube))
    }

    static func amount(_ text: String) -> Amount {
        guard case .value(let a, _) = Amount.parse(text) else { fatalError(text) }
        return a
    }

    static func values(_ metric: String, team: String? = nil, product: String? = nil, _ byMonth: [Int: String]) -> [MetricValue] {
        byMonth.map { MetricValue(month: Month(year: 2025, month: $0.key), metric: metric, value: amount($0.value), team: team, product: product) }
    }

    static let metrics: [MetricValue] =
        // Organisation: 300,000 → 310,000 transactions; two daily rows for June are summed by the loader's month.
        values("transactions", [1: "100000", 2: "100000", 3: "100000", 4: "100000", 5: "105000"])
        + values("transactions", [6: "100000"]) + values("transactions", [6: "5000"])
        // Team payments: no active users before Q2.
        + values("active_users", team: "payments", [1: "0", 2: "0", 3: "0", 4: "10", 5: "10", 6: "10"])
        // Product search-ui: March is missing.
        + values("searches", product: "search-ui", [1: "1000", 2: "1000", 4: "1100", 5: "1200", 6: "1200"])
        // Team payments, product checkout: both columns narrow the cost.
        + values("checkouts", team: "payments", product: "checkout", [4: "100", 5: "100", 6: "100"])

    static func economics(asOf: Day = Day(year: 2025, month: 6, day: 30), quartersOfTrend: Int = 4) throws -> UnitEconomics {
        let q = try query()
        let calendar = FiscalCalendar(startMonth: 1)
        let period = ReportingPeriod.all(data: q.costs.cube.dayRange!, asOf: asOf, calendar: calendar).last!
        return UnitEconomics(query: q, period: period, calendar: calendar, metrics: metrics, basis: .effective, quartersOfTrend: quartersOfTrend)
    }

    @Test func volumeAndEfficiencySumToTheChangeExactly() throws {
        let u = try Self.economics()
        // Quarters before the first day of cost data are left out.
        #expect(u.quarters.map(\.description) == ["FY2025-Q1", "FY2025-Q2"])
        let s = try #require(u.series("transactions"))
        #expect(s.scope == .organisation)
        let c = s.change
        #expect(c.prior.cost == Amount(whole: 1000))
        #expect(c.current.cost == Amount(whole: 1100))
        #expect(c.prior.units == Amount(whole: 300_000))
        #expect(c.current.units == Amount(whole: 310_000))
        // volume = (310,000 − 300,000) × 1,000 / 300,000 = 33.333…, rounded half-even to 15 decimals;
        // efficiency = (u₁ − u₀) × V₁ = 1,100 − 310,000 × 1,000/300,000 = 66.666…, carrying the remainder.
        #expect(c.volume == Self.amount("33.333333333333333"))
        #expect(c.efficiency == Self.amount("66.666666666666667"))
        #expect(c.volume! + c.efficiency! == c.delta)
        #expect(c.delta == Amount(whole: 100))
        #expect(abs(c.unitsChange! - 1.0 / 30) < 1e-12)
        // u₀ = 1,000/300,000, u₁ = 1,100/310,000.
        #expect(c.prior.costPerUnit == Self.amount("0.003333333333333"))
        #expect(c.current.costPerUnit == Self.amount("0.003548387096774"))
        #expect(abs(c.unitCostChange! - (1100.0 / 310_000) / (1000.0 / 300_000) + 1) < 1e-9)

        // By month: January 330 / 100,000.
        #expect(s.months.map(\.month.month) == [1, 2, 3, 4, 5, 6])
        #expect(s.months[0].figures.cost == Amount(whole: 330))
        #expect(s.months[0].figures.costPerUnit == Self.amount("0.0033"))
        #expect(s.months[5].figures.units == Amount(whole: 105_000))
        // By quarter, with the change of unit cost and the trend over the quarters shown.
        #expect(s.quarters.map(\.figures.cost) == [Amount(whole: 1000), Amount(whole: 1100)])
        #expect(s.quarters[0].unitCostChange == nil)
        #expect(s.quarters[1].unitCostChange == c.unitCostChange)
        #expect(s.trend == c.unitCostChange)
        #expect(s.trendFrom?.description == "FY2025-Q1")
        #expect(s.trendTo?.description == "FY2025-Q2")
    }

    @Test func theIdentityHoldsForAnyFigures() {
        var rng = SystemRandomNumberGenerator()
        let days = Day(year: 2025, month: 1, day: 1)...Day(year: 2025, month: 3, day: 31)
        for _ in 0..<500 {
            func money() -> Amount { Amount(units: Int128(Int64.random(in: -10_000_000_000_000...100_000_000_000_000, using: &rng)) * 1_000_000_000) }
            func units() -> Amount { Amount(units: Int128(Int64.random(in: 1_000_000_000_000...1_000_000_000_000_000, using: &rng)) * Int128(Int.random(in: 1...1_000_000, using: &rng))) }
            let f0 = UnitEconomics.Figures(days: days, cost: money(), units: units(), missingMonths: [], costPerUnit: nil)
            let f1 = UnitEconomics.Figures(days: days, cost: money(), units: units(), missingMonths: [], costPerUnit: nil)
            guard case .split(let volume, let efficiency) = UnitEconomics.split(prior: f0, current: f1, priorHasCostData: true) else {
                Issue.record("not split"); continue
            }
            #expect(volume + efficiency == f1.cost - f0.cost)
            // volume is (V₁−V₀)·C₀/V₀ to within the rounding of the last digit.
            let expected = (f1.units!.doubleValue - f0.units!.doubleValue) * f0.cost.doubleValue / f0.units!.doubleValue
            #expect(abs(volume.doubleValue - expected) <= max(1e-6, abs(expected) * 1e-9))
        }
    }

    @Test func zeroPriorUnitsAreNotSplit() throws {
        let u = try Self.economics()
        let s = try #require(u.series("active_users", UnitEconomics.Scope(team: "payments")))
        #expect(s.scope.description == "team payments")
        #expect(s.change.prior.units == .zero)
        #expect(s.change.prior.cost == Amount(whole: 610))          // 600 direct + 10 of the support pool
        #expect(s.change.current.cost == Amount(whole: 670))
        #expect(s.change.split == .notSplit(.noPriorUnits))
        #expect(s.change.volume == nil)
        #expect(s.months[0].figures.cost == Amount(whole: 210))
        #expect(s.months[0].figures.costPerUnit == nil)
        #expect(s.months[0].figures.hasNoUnits)
        #expect(s.quarters[1].figures.costPerUnit == Self.amount("22.333333333333333"))   // 670 / 30
        #expect(s.trend == nil)                                     // only one quarter has a unit cost
    }

    @Test func aMissingMonthIsAGapNotAZero() throws {
        let u = try Self.economics()
        let s = try #require(u.series("searches", UnitEconomics.Scope(product: "search-ui")))
        let march = s.months[2]
        #expect(march.month == Month(year: 2025, month: 3))
        #expect(march.figures.cost == Amount(whole: 100))           // product search-ui: no share of the pool
        #expect(march.figures.units == nil)
        #expect(march.figures.hasGap)
        #expect(march.figures.costPerUnit == nil)
        #expect(s.quarters[0].figures.units == nil)
        #expect(s.quarters[0].figures.missingMonths == [Month(year: 2025, month: 3)])
        #expect(s.quarters[1].figures.costPerUnit == Self.amount("0.094285714285714"))   // 330 / 3,500
        #expect(s.change.split == .notSplit(.missingUnits([Month(year: 2025, month: 3)])))
        #expect(u.warnings.contains("Metric searches (product search-ui) has no value for 2025-03: shown as a gap, not as zero."))
    }

    @Test func scopesOrganisationTeamProductAndBoth() throws {
        let u = try Self.economics()
        #expect(u.series.map { "\($0.metric) / \($0.scope)" } == [
            "active_users / team payments", "checkouts / team payments, product checkout",
            "searches / product search-ui", "transactions / organisation",
        ])
        let april = { (s: UnitEconomics.Series) in s.months[3].figures.cost }
        #expect(april(try #require(u.series("transactions"))) == Amount(whole: 360))
        #expect(april(try #require(u.series("active_users", .init(team: "payments")))) == Amount(whole: 220))
        #expect(april(try #require(u.series("searches", .init(product: "search-ui")))) == Amount(whole: 100))
        let both = try #require(u.series("checkouts", .init(team: "payments", product: "checkout")))
        #expect(both.months[0].figures.cost == Amount(whole: 200))   // the pool's share has no product
        #expect(both.change.split == .notSplit(.missingUnits([1, 2, 3].map { Month(year: 2025, month: $0) })))
        #expect(both.quarters[1].figures.costPerUnit == Self.amount("2.233333333333333"))  // 670 / 300
    }

    @Test func quarterToDate() throws {
        // As of 2025-05-15: Q2 to date (45 days), compared with 2025-01-01 … 2025-02-14.
        let u = try Self.economics(asOf: Day(year: 2025, month: 5, day: 15), quartersOfTrend: 2)
        let s = try #require(u.series("transactions"))
        #expect(s.months.map(\.month.month) == [1, 2, 3, 4, 5])
        #expect(s.months.last!.isToDate)
        #expect(!s.months[3].isToDate)
        #expect(s.quarters.last!.isToDate)
        #expect(u.period.comparison == Day(year: 2025, month: 1, day: 1)...Day(year: 2025, month: 2, day: 14))
        // Cost to the day (Jan 330 + Feb's rows on the 5th and 12th: 300). Units of a month cut by the
        // window count by days: February 100,000 × 14/28, May 105,000 × 15/31 = 50,806.4516129032258064…
        #expect(s.change.prior.cost == Amount(whole: 630))
        #expect(s.change.prior.units == Amount(whole: 150_000))
        #expect(s.change.current.cost == Amount(whole: 360 + 340))   // April 360, May 220 + 120 (the 20th is after)
        #expect(s.change.current.units == Self.amount("150806.451612903225806"))
        #expect(s.months.last!.figures.units == Self.amount("50806.451612903225806"))
        #expect(s.months.last!.figures.days == Day(year: 2025, month: 5, day: 1)...Day(year: 2025, month: 5, day: 15))
        #expect(s.change.volume! + s.change.efficiency! == s.change.delta)
    }

    @Test func noPriorCostData() throws {
        // The first quarter of data: its comparison window (FY2024-Q4) has metric values but no cost.
        let q = try Self.query()
        let calendar = FiscalCalendar(startMonth: 1)
        let period = ReportingPeriod.all(data: q.costs.cube.dayRange!, asOf: Day(year: 2025, month: 3, day: 31), calendar: calendar).last!
        let earlier = (10...12).map { MetricValue(month: Month(year: 2024, month: $0), metric: "transactions", value: Amount(whole: 90_000), team: nil, product: nil) }
        let u = UnitEconomics(query: q, period: period, calendar: calendar, metrics: Self.metrics + earlier, basis: .effective)
        #expect(u.quarters.map(\.description) == ["FY2025-Q1"])
        let s = try #require(u.series("transactions"))
        #expect(s.change.prior.units == nil)
        #expect(s.change.split == .notSplit(.noPriorCostData))
        #expect(u.warnings.contains("Cost data start on 2025-01-05, not on the first of the month: the cost of 2025-01 covers only part of it, so its cost per unit is too low."))
    }

    @Test func formattingOfUnitCostsAndUnits() {
        let f = Formatter(currency: "USD")
        #expect(f.unitCost(Self.amount("0.012345")) == "$0.0123")
        #expect(f.unitCost(Self.amount("0.5")) == "$0.5000")
        #expect(f.unitCost(Self.amount("0.0000456")) == "$0.0000456")
        #expect(f.unitCost(Self.amount("-0.012345")) == "-$0.0123")
        #expect(f.unitCost(Self.amount("1.5")) == "$1.50")
        #expect(f.unitCost(Self.amount("1234.5678")) == "$1,234.57")
        #expect(f.unitCost(.zero) == "$0.00")
        #expect(Formatter(currency: "CHF").unitCost(Self.amount("0.25")) == "CHF 0.2500")
        #expect(f.units(Amount(whole: 1_200_000)) == "1,200,000")
        #expect(f.units(Self.amount("1234.5")) == "1,234.5")
        #expect(f.units(Self.amount("0.00001")) == "0")
    }

    func render(_ section: some ReportSection) throws -> String {
        let templates = try TemplateSet(builtIn: try #require(TemplateSet.builtInFolder()), override: nil)
        return try templates.render(section.template, section.context(Formatter(currency: "USD")))
    }

    @Test func tablesAndSection() throws {
        let section = UnitEconomicsSection(unitEconomics: try Self.economics())
        let tables = section.tables
        #expect(tables.map(\.name) == ["unit-cost-by-month", "unit-cost-by-quarter", "unit-cost-change"])
        #expect(tables[0].columns.map(\.key) == ["metric", "scope", "month", "cost", "units", "cost_per_unit"])
        #expect(tables[1].columns.map(\.key) == ["metric", "scope", "quarter", "cost", "units", "cost_per_unit", "change_pct"])
        #expect(tables[2].columns.map(\.key) == ["metric", "scope", "prior_cost", "current_cost", "volume_effect", "efficiency_effect", "total_change"])

        // Exports keep exact values; a gap or an undefined unit cost is empty (null in JSON).
        let byMonth = CSVExport.csv(tables[0])
        #expect(byMonth.contains("transactions,organisation,2025-01,330,100000,0.0033,row\r\n"))
        #expect(byMonth.contains("searches,product search-ui,2025-03,100,,,row\r\n"))
        #expect(byMonth.contains("active_users,team payments,2025-01,210,0,,row\r\n"))
        let change = CSVExport.csv(tables[2])
        #expect(change.contains("transactions,organisation,1000,1100,33.333333333333333,66.666666666666667,100,row\r\n"))
        #expect(change.contains("active_users,team payments,610,670,not split (no prior units),,60,row\r\n"))

        let md = try render(section)
        #expect(md.contains("## Unit economics"))
        #expect(md.contains("| transactions | organisation | 2025-01 | $330.00 | 100,000 | $0.00330 |"))
        #expect(md.contains("| searches | product search-ui | 2025-03 | $100.00 | no data | gap |"))
        #expect(md.contains("| active\\_users | team payments | 2025-01 | $210.00 | 0 | no units |"))
        #expect(md.contains("| searches | product search-ui | FY2025-Q1 | $300.00 | no data for 2025-03 | gap | — |"))
        #expect(md.contains("| transactions | organisation | $1,000.00 | $1,100.00 | +$33.33 | +$66.67 | +$100.00 |"))
        #expect(md.contains("| active\\_users | team payments | $610.00 | $670.00 | not split (no prior units) | — | +$60.00 |"))
        #expect(md.contains("- **transactions**, organisation: $0.00355 per unit in FY2025-Q2; against FY2025-Q1 units +3.3% (+$33.33), cost per unit +6.5% (+$66.67), cost +$100.00; cost per unit +6.5% from FY2025-Q1 to FY2025-Q2."))
        #expect(md.contains("Metric searches (product search-ui) has no value for 2025-03"))
        #expect(!md.contains("to date"))
        for line in md.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect([7, 8].contains(cells))
        }
    }

    @Test func noMetrics() throws {
        let q = try Self.query()
        let calendar = FiscalCalendar(startMonth: 1)
        let period = ReportingPeriod.all(data: q.costs.cube.dayRange!, asOf: Day(year: 2025, month: 6, day: 30), calendar: calendar).last!
        let u = UnitEconomics(query: q, period: period, calendar: calendar, metrics: [], basis: .effective)
        #expect(u.series.isEmpty)
        let md = try render(UnitEconomicsSection(unitEconomics: u))
        #expect(md.contains("No unit metrics"))
    }
}
