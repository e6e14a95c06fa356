import Foundation
import Testing
@testable import CostDefender

/// Budget vs actual on a hand-made FOCUS file. Fiscal year = calendar year; the period is
/// FY2025-Q3 to date, as of 2025-08-15: 46 of the quarter's 92 days, 15 of August's 31.
@Suite struct BudgetVarianceTests {
    static func row(_ amount: String, _ day: String, team: String? = nil) -> String {
        let tags = team.map { "\"{\"\"team\"\": \"\"\($0)\"\"}\"" } ?? "NULL"
        return TestFiles.focusRow(billed: amount, day: day + "T00:00:00Z", tags: tags)
    }

    static func query(_ rows: [String]) throws -> FactQuery {
        let dir = TestFiles.tempDir()
        TestFiles.write(([TestFiles.focusHeader] + rows).joined(separator: "\n"), to: dir + "/focus.csv")
        var cube = CostCube()
        var d = Diagnostics()
        _ = try FOCUSReader(relevantTagKeys: ["team"], teamTagKeys: ["team"]).read(file: dir + "/focus.csv", into: &cube, diagnostics: &d)
        var allocation = Configuration.Allocation()
        allocation.teamTags = ["team"]
        return FactQuery(Allocator(config: allocation, costBasis: .effective).allocate(cube))
    }

    static let costRows = [
        row("2900", "2025-02-10", team: "payments"),            // FY2025-Q1
        row("3100", "2025-05-10", team: "payments"),            // FY2025-Q2
        row("2830", "2025-07-10", team: "payments"),
        row("2000", "2025-08-05", team: "payments"),            // payments QTD 4,830
        row("999", "2025-08-20", team: "payments"),             // after the as-of date: never counted
        row("2374.99", "2025-07-20", team: "search"),
        row("3700", "2025-08-01", team: "data"),
        row("800", "2025-07-02", team: "ml"),                   // cost, no budget
        row("100", "2025-07-03"),                               // unallocated
    ]

    static func budget(_ period: String, _ team: String?, _ amount: String) -> Budget {
        let calendar = FiscalCalendar(startMonth: 1)
        let p: Budget.Period = Month(iso: period).map { .month($0) } ?? .quarter(calendar.parseQuarter(period)!)
        guard case .value(let a, _) = Amount.parse(amount) else { fatalError(amount) }
        return Budget(period: p, team: team, amount: a)
    }

    static let budgets = [
        budget("FY2025-Q1", "payments", "3000"), budget("FY2025-Q2", "payments", "3000"),
        budget("FY2025-Q3", "payments", "9200"),                                   // QTD: 9,200 × 46/92 = 4,600
        budget("2025-07", "search", "1000"), budget("2025-08", "search", "3100"), // QTD: 1,000 + 3,100 × 15/31 = 2,500
        budget("FY2025-Q3", "data", "6000"), budget("2025-07", "data", "2500"),   // month row wins for July
        budget("2025-07", "security", "500"),                                      // budget, no cost
        budget("FY2025-Q1", nil, "8000"), budget("FY2025-Q2", nil, "8000"), budget("FY2025-Q3", nil, "40000"),
    ]

    static func variance(budgets: [Budget] = budgets, tolerance: Double = 0.05, startMonth: Int = 1) throws -> BudgetVariance {
        let q = try query(costRows)
        let calendar = FiscalCalendar(startMonth: startMonth)
        let period = ReportingPeriod.all(data: q.costs.cube.dayRange!, asOf: Day(year: 2025, month: 8, day: 15), calendar: calendar).last!
        return BudgetVariance(query: q, period: period, calendar: calendar, budgets: budgets, basis: .effective, tolerance: tolerance)
    }

    static func amount(_ text: String) -> Amount {
        guard case .value(let a, _) = Amount.parse(text) else { fatalError(text) }
        return a
    }

    @Test func quarterToDateBudgetsAreProratedByDaysAndComparedWithActual() throws {
        let v = try Self.variance()
        let q = v.quarter
        #expect(q.name == "FY2025-Q3 to date")
        #expect(q.days == Day(year: 2025, month: 7, day: 1)...Day(year: 2025, month: 8, day: 15))
        #expect(!q.isComplete)

        let payments = try #require(q.line("payments"))
        #expect(payments.budget == Amount(whole: 4600))
        #expect(payments.actual == Amount(whole: 4830))
        #expect(payments.variance == Amount(whole: 230))
        #expect(payments.status == .onTrack)                         // +5.0 % exactly: on the edge, still on track
        #expect(abs(payments.variancePercent! - 0.05) < 1e-12)

        let search = try #require(q.line("search"))
        #expect(search.budget == Amount(whole: 2500))
        #expect(search.variance == Self.amount("-125.01"))
        #expect(search.status == .under)                             // −5.0004 %: just past the edge

        // data: July from its month row (2,500), 1–15 August from the quarter row: 6,000 × 15/92
        // = 978.2608695652173913… rounded half-even to 15 decimals.
        let data = try #require(q.line("data"))
        #expect(data.budget == Self.amount("3478.260869565217391"))
        #expect(data.status == .over)
        #expect(v.warnings.contains { $0.contains("Team data has a FY2025-Q3 budget and month budgets for 2025-07") })

        let ml = try #require(q.line("ml"))
        #expect(ml.budget == nil)
        #expect(ml.status == .noBudget)
        #expect(ml.variance == Amount(whole: 800))
        #expect(ml.variancePercent == nil)

        let security = try #require(q.line("security"))
        #expect(security.actual == .zero)
        #expect(security.budget == Amount(whole: 500))
        #expect(security.status == .under)

        #expect(q.line(AllocatedCosts.unallocatedTeam)?.status == .noBudget)

        // Ranked by |variance|: ml 800, security 500, payments 230, data 221.74, search 125.01, unallocated 100.
        #expect(q.lines.map(\.team) == ["ml", "security", "payments", "data", "search", AllocatedCosts.unallocatedTeam])

        // The `*` budget is the total; the teams' budgets leave the rest unassigned.
        #expect(q.organisationBudget == Amount(whole: 20000))
        #expect(q.totalBudget == Amount(whole: 20000))
        #expect(q.teamBudgets == Self.amount("11078.260869565217391"))
        #expect(v.unassignedBudget == Self.amount("8921.739130434782609"))
        #expect(q.actual == Self.amount("11804.99"))                 // the 999 after the as-of date is out
        #expect(q.variance == Self.amount("-8195.01"))
        #expect(q.status == .under)
        // Σ line variances − unassigned = the total variance, exactly.
        #expect(q.lines.reduce(Amount.zero) { $0 + $1.variance } - q.unassignedBudget! == q.variance)
        #expect(q.lines.reduce(Amount.zero) { $0 + $1.actual } == q.actual)
    }

    @Test func fiscalYearToDate() throws {
        let v = try Self.variance()
        let y = v.yearToDate
        #expect(y.name == "FY2025 to date")
        #expect(y.days == Day(year: 2025, month: 1, day: 1)...Day(year: 2025, month: 8, day: 15))
        let payments = try #require(y.line("payments"))
        #expect(payments.budget == Amount(whole: 10600))            // 3,000 + 3,000 + 4,600
        #expect(payments.actual == Amount(whole: 10830))
        #expect(payments.status == .onTrack)
        #expect(y.line("search")?.budget == Amount(whole: 2500))
        #expect(y.organisationBudget == Amount(whole: 36000))        // 8,000 + 8,000 + 40,000 × 46/92
        #expect(y.actual == Self.amount("17804.99"))
        #expect(y.unassignedBudget == Amount(whole: 36000) - y.teamBudgets)
        #expect(y.budgetsByTeam["payments"] == Amount(whole: 10600))
        #expect(y.budgetsByTeam["ml"] == nil)
        #expect(v.warnings.contains("Cost data start on 2025-02-10, after the first day of FY2025 to date (2025-01-01): its actual covers fewer days than its budget."))

        // A fiscal year starting in April: FY2026 runs from 2025-04-01, and the period is FY2026-Q2.
        let april = try Self.variance(startMonth: 4)
        #expect(april.yearToDate.days.lowerBound == Day(year: 2025, month: 4, day: 1))
        #expect(april.yearToDate.name == "FY2026 to date")
        #expect(april.quarter.name == "FY2026-Q2 to date")
        #expect(april.warnings.contains { $0.contains("Cost data start on 2025-02-10") } == false)
    }

    @Test func statusThresholdsAreExactAtTheToleranceEdges() {
        let band = BudgetVariance.exactTolerance(0.05)
        #expect(band == Amount(cents: 5))
        func status(_ actual: String, _ budget: String?) -> BudgetVariance.Status {
            BudgetVariance.status(actual: Self.amount(actual), budget: budget.map(Self.amount), band: band)
        }
        #expect(status("1050", "1000") == .onTrack)
        #expect(status("1050.000000000000001", "1000") == .over)
        #expect(status("950", "1000") == .onTrack)
        #expect(status("949.999999999999999", "1000") == .under)
        #expect(status("1", "0") == .over)
        #expect(status("0", "0") == .onTrack)
        #expect(status("5", nil) == .noBudget)
        // A negative budget (a credit expected): the band is of its magnitude.
        #expect(status("-95", "-100") == .onTrack)
        #expect(status("-94", "-100") == .over)
        // The tolerance is a parameter.
        #expect(BudgetVariance.status(actual: Amount(whole: 1090), budget: Amount(whole: 1000), band: BudgetVariance.exactTolerance(0.1)) == .onTrack)
    }

    @Test func withoutATotalBudgetTheTotalIsTheSumOfTeamBudgets() throws {
        let v = try Self.variance(budgets: Self.budgets.filter { $0.team != nil })
        let q = v.quarter
        #expect(q.organisationBudget == nil)
        #expect(q.unassignedBudget == nil)
        #expect(q.totalBudget == q.teamBudgets)
        #expect(q.totalBudget == Self.amount("11078.260869565217391"))
        #expect(q.lines.reduce(Amount.zero) { $0 + $1.variance } == q.variance)
        let table = BudgetSection(budget: v).tables[0]
        #expect(!table.rows.contains { if case .text(let s) = $0[0] { return s == BudgetSection.unassignedLabel }; return false })
    }

    @Test func duplicateRowsAreAddedAndSaid() throws {
        let v = try Self.variance(budgets: [Self.budget("2025-07", "search", "600"), Self.budget("2025-07", "search", "400")])
        #expect(v.quarter.line("search")?.budget == Amount(whole: 1000))
        #expect(v.warnings.contains("budgets.csv has 2 rows for team search and 2025-07; they are added together."))
    }

    @Test func aBudgetTeamWithoutCostIsNamed() throws {
        let v = try Self.variance(budgets: [Self.budget("2025-07", "Payments", "100")])
        #expect(v.quarter.line("Payments")?.actual == .zero)
        #expect(v.warnings.contains("budgets.csv names team Payments, which has no cost in the data (did you mean payments?)."))
    }

    @Test func noBudgetsAtAll() throws {
        let v = try Self.variance(budgets: [])
        #expect(!v.hasBudgets)
        #expect(v.quarter.totalBudget == nil)
        #expect(v.quarter.status == .noBudget)
        #expect(v.quarter.lines.allSatisfy { $0.status == .noBudget })
        let md = try render(BudgetSection(budget: v))
        #expect(md.contains("No budgets were given"))
        #expect(!md.contains("|"))
    }

    func render(_ section: some ReportSection) throws -> String {
        let templates = try TemplateSet(builtIn: try #require(TemplateSet.builtInFolder()), override: nil)
        return try templates.render(section.template, section.context(Formatter(currency: "USD")))
    }

    @Test func tablesAndSection() throws {
        let section = BudgetSection(budget: try Self.variance())
        let tables = section.tables
        #expect(tables.map(\.name) == ["budget-vs-actual-quarter", "budget-vs-actual-fytd"])
        #expect(tables[0].columns.map(\.key) == ["team", "budget", "actual", "variance", "variance_pct", "status"])

        let csv = CSVExport.csv(tables[0])
        #expect(csv.contains("ml,,800,800,,no budget,row\r\n"))
        #expect(csv.contains("payments,4600,4830,230,0.05"))
        #expect(csv.contains("(not assigned to a team),8921.739130434782609,0,-8921.739130434782609,,,row\r\n"))
        #expect(csv.contains("Total,20000,11804.99,-8195.01,"))
        #expect(CSVExport.json(tables[0]).contains("\"budget\": null"))

        let md = try render(section)
        #expect(md.contains("## Budget vs actual"))
        #expect(md.contains("**Actual cost of FY2025-Q3 to date is $11,804.99 against a budget of $20,000.00: -$8,195.01 (-41.0%), under.**"))
        #expect(md.contains("Teams: 1 over budget, 2 under, 1 on track, 2 without a budget."))
        #expect(md.contains("by more than 5.0% of the budget"))
        #expect(md.contains("### FY2025-Q3 to date (2025-07-01 to 2025-08-15)"))
        #expect(md.contains("### FY2025 to date (2025-01-01 to 2025-08-15)"))
        #expect(md.contains("| ml | — | $800.00 | +$800.00 | — | no budget |"))
        #expect(md.contains("| payments | $4,600.00 | $4,830.00 | +$230.00 | +5.0% | on track |"))
        #expect(md.contains("| **Total** | **$20,000.00** | **$11,804.99** | **-$8,195.01** | **-41.0%** | **under** |"))
        #expect(md.contains("$8,921.74 is not assigned to a team"))
        #expect(md.contains("- Team data has a FY2025-Q3 budget and month budgets for 2025-07"))
        // Every table line has as many cells as its header.
        let lines = md.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(!lines.isEmpty)
        for line in lines { #expect(line.filter { $0 == "|" }.count == 7) }
    }
}
