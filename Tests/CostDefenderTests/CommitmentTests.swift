import Foundation
import Testing
@testable import CostDefender

/// Commitment coverage, utilisation and effective savings rate worked out on paper.
@Suite struct CommitmentTests {
    static let header = "BilledCost,EffectiveCost,ListCost,ContractedCost,ChargePeriodStart,BillingCurrency,ProviderName,ServiceName,ChargeCategory,PricingCategory,CommitmentDiscountId,CommitmentDiscountStatus,Tags"
    static let sp = "Savings Plans for AWS Compute usage"

    /// A usage row (billed = effective unless given); `id`/`status` name a commitment.
    static func row(_ day: String, list: String, effective: String, billed: String? = nil, provider: String = "AWS", service: String = "Amazon EC2",
                    category: String = "Usage", pricing: String = "Standard", id: String? = nil, status: String? = nil) -> String {
        "\(billed ?? effective),\(effective),\(list),\(list),\(day)T00:00:00Z,USD,\(provider),\"\(service)\",\(category),\(pricing),\(id ?? "NULL"),\(status ?? "NULL"),\"{\"\"team\"\": \"\"pay\"\"}\""
    }

    /// Feb–Mar 2025. Three commitments: sp-1 (mostly used), sp-2 (under-used: 35 %), ri-1 (fully
    /// used, stops on Feb 20 — an expired reservation, RDS then runs on demand). Plus on-demand EC2,
    /// spot EC2, S3 (no commitment ever: not eligible), Azure at a negotiated rate, a purchase and a
    /// credit (neither is usage).
    static let rows: [String] = [
        // February, AWS
        row("2025-02-01", list: "500", effective: "0", billed: "500", service: "Amazon EC2", category: "Purchase", pricing: "Committed", id: "sp-1"),
        row("2025-02-01", list: "20", effective: "14", billed: "0", pricing: "Committed", id: "sp-2", status: "Used"),
        row("2025-02-01", list: "0", effective: "26", billed: "0", service: sp, pricing: "Committed", id: "sp-2", status: "Unused"),
        row("2025-02-02", list: "100", effective: "60", billed: "0", pricing: "Committed", id: "sp-1", status: "used"),   // status case drift
        row("2025-02-02", list: "0", effective: "10", billed: "0", service: sp, pricing: "Committed", id: "sp-1", status: "Unused"),
        row("2025-02-03", list: "80", effective: "40", billed: "0", service: "Amazon RDS", pricing: "Committed", id: "ri-1", status: "Used"),
        row("2025-02-11", list: "100", effective: "100"),
        row("2025-02-20", list: "80", effective: "40", billed: "0", service: "Amazon RDS", pricing: "Committed", id: "ri-1", status: "Used"),
        // March, AWS
        row("2025-03-05", list: "120", effective: "120", service: "Amazon RDS"),
        row("2025-03-10", list: "100", effective: "60", billed: "0", pricing: "Committed", id: "sp-1", status: "Used"),
        row("2025-03-11", list: "200", effective: "200"),
        row("2025-03-12", list: "40", effective: "12", pricing: "Dynamic"),
        row("2025-03-13", list: "500", effective: "500", service: "Amazon S3"),
        row("2025-03-15", list: "-10", effective: "-10", category: "Credit", pricing: "Other"),
        row("2025-03-30", list: "50", effective: "30", billed: "0", pricing: "Committed", id: "sp-1", status: "Used"),
        row("2025-03-31", list: "20", effective: "14", billed: "0", pricing: "Committed", id: "sp-2", status: "Used"),
        row("2025-03-31", list: "0", effective: "26", billed: "0", service: sp, pricing: "Committed", id: "sp-2", status: "Unused"),
        // March, Azure: a negotiated rate, no commitment
        row("2025-03-20", list: "100", effective: "90", provider: "Microsoft", service: "Virtual Machines"),
    ]

    static let window = Day(iso: "2025-02-01")!...Day(iso: "2025-03-31")!

    func query(_ rows: [String], asOf: String = "2025-03-31") throws -> FactQuery {
        let dir = TestFiles.tempDir()
        var c = Configuration()
        c.inputs.focus = [TestFiles.write(([Self.header] + rows).joined(separator: "\n"), to: dir + "/f.csv")]
        c.allocation.teamTags = ["team"]
        c.output = dir + "/Output"
        let analysis = try Pipeline(configuration: c, asOf: Day(iso: asOf)).analyse()
        return FactQuery(analysis.allocated)
    }

    func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 1e-12 } ?? false }
    func line(_ c: CommitmentDiscounts, _ month: String, _ provider: String) -> CommitmentDiscounts.Figures? {
        c.months.first { $0.month.description == month && $0.provider == provider }?.figures
    }

    @Test func coverageUtilisationAndSavingsRateOnPaper() throws {
        let c = CommitmentDiscounts(try query(Self.rows), window: Self.window, basis: .effective)
        #expect(c.hasCommitments && c.dataHasCommitments)
        // Eligible: AWS EC2 and RDS (committed usage somewhere); not S3, not the savings-plan
        // service (only unused rows), not Azure, not spot.
        #expect(c.eligibleServices == ["AWS · Amazon EC2", "AWS · Amazon RDS"])

        // February, AWS: eligible = EC2 20 + 100 + 100 + RDS 80 + 80 = 380; committed = 280.
        // used = 14 + 60 + 40 + 40 = 154, unused = 26 + 10 = 36; list 380, effective 290.
        let feb = try #require(line(c, "2025-02", "AWS"))
        #expect(feb.eligibleList == Amount(whole: 380))
        #expect(feb.committedList == Amount(whole: 280))
        #expect(close(feb.coverage, 280.0 / 380))
        #expect(feb.used == Amount(whole: 154) && feb.unused == Amount(whole: 36))
        #expect(close(feb.utilisation, 154.0 / 190))
        #expect(feb.list == Amount(whole: 380) && feb.effective == Amount(whole: 290))
        #expect(close(feb.effectiveSavingsRate, 90.0 / 380))

        // March, AWS: eligible = RDS 120 + EC2 100 + 200 + 50 + 20 = 490; committed = 170;
        // used = 60 + 30 + 14 = 104, unused 26 (utilisation exactly 80 %); list 1,030, effective 962.
        let mar = try #require(line(c, "2025-03", "AWS"))
        #expect(mar.eligibleList == Amount(whole: 490) && mar.committedList == Amount(whole: 170))
        #expect(close(mar.coverage, 170.0 / 490))
        #expect(close(mar.utilisation, 0.8))
        #expect(mar.list == Amount(whole: 1030) && mar.effective == Amount(whole: 962))

        // March, Microsoft: nothing eligible (coverage undefined), 10 below list.
        let azure = try #require(line(c, "2025-03", "Microsoft"))
        #expect(azure.coverage == nil && azure.utilisation == nil)
        #expect(azure.savings == Amount(whole: 10))
        #expect(c.months.count == 3)

        // The window: coverage 450 / 870, utilisation 258 / 320, ESR (1,510 − 1,342) / 1,510.
        #expect(close(c.coverage, 450.0 / 870))
        #expect(close(c.utilisation, 258.0 / 320))
        #expect(close(c.effectiveSavingsRate, 168.0 / 1510))
        #expect(c.savings == Amount(whole: 168))
        #expect(c.total.commitmentSavings == Amount(whole: 130))   // 90 in February + 40 in March
        let aws = try #require(c.providers.first { $0.provider == "AWS" })
        #expect(aws.figures.list == Amount(whole: 1410))
        #expect(c.providers.map(\.provider) == ["AWS", "Microsoft"])
    }

    @Test func commitmentsAreFlaggedWhenUnderUsedOrWhenTheyStopAppearing() throws {
        let c = CommitmentDiscounts(try query(Self.rows), window: Self.window, basis: .effective)
        #expect(c.commitments.map(\.id) == ["sp-2", "sp-1", "ri-1"])   // largest unused first
        let sp2 = c.commitments[0], sp1 = c.commitments[1], ri1 = c.commitments[2]
        // sp-2: 28 used, 52 unused → 35 %, under-used; seen all window long.
        #expect(sp2.used == Amount(whole: 28) && sp2.unused == Amount(whole: 52))
        #expect(close(sp2.utilisation, 0.35))
        #expect(sp2.underUsed && !sp2.stopped && !sp2.started)
        // sp-1: 150 used, 10 unused → 93.75 %; last seen March 30, within 3 days of the end.
        #expect(close(sp1.utilisation, 150.0 / 160))
        #expect(!sp1.underUsed && !sp1.stopped)
        #expect(sp1.firstSeen == Day(iso: "2025-02-02")! && sp1.lastSeen == Day(iso: "2025-03-30")!)
        // ri-1: fully used, but its last row is February 20: it stopped appearing.
        #expect(close(ri1.utilisation, 1))
        #expect(ri1.stopped && !ri1.underUsed)
        #expect(ri1.lastSeen == Day(iso: "2025-02-20")!)
        #expect(ri1.provider == "AWS")

        // A stricter threshold flags sp-1 too.
        let strict = CommitmentDiscounts(try query(Self.rows), window: Self.window, basis: .effective, underUsedBelow: 0.95)
        #expect(strict.underUsed.map(\.id) == ["sp-2", "sp-1"])

        // A new commitment, first seen on March 20, started in the window; ri-1 did not reappear.
        let withNew = Self.rows + ["2025-03-20", "2025-03-31"].map {
            Self.row($0, list: "10", effective: "7", billed: "0", pricing: "Committed", id: "sp-3", status: "Used")
        }
        let later = CommitmentDiscounts(try query(withNew), window: Self.window, basis: .effective)
        #expect(later.started.map(\.id) == ["sp-3"])
        #expect(later.stopped.map(\.id) == ["ri-1"])

        // March alone: ri-1 is gone. sp-1 and sp-2 are first seen after March 5 (the first usage
        // day) in March, but they appear in February, so they did not start in March.
        let march = CommitmentDiscounts(try query(withNew), window: Day(iso: "2025-03-01")!...Self.window.upperBound, basis: .effective)
        #expect(march.commitments.map(\.id) == ["sp-2", "sp-1", "sp-3"])
        #expect(march.commitments[0].firstSeen == Day(iso: "2025-03-31")!)
        #expect(march.started.map(\.id) == ["sp-3"])
        #expect(march.usageDays == Day(iso: "2025-03-05")!...Day(iso: "2025-03-31")!)

        // February alone: its last usage day is February 20, ri-1's last row, so nothing stopped yet.
        let february = CommitmentDiscounts(try query(Self.rows), window: Self.window.lowerBound...Day(iso: "2025-02-28")!, basis: .effective)
        #expect(february.stopped.isEmpty)
    }

    @Test func theSectionShowsBothTablesWithTotalsAndDefinitions() throws {
        let c = CommitmentDiscounts(try query(Self.rows), window: Self.window, basis: .billed)
        let section = CommitmentSection(commitments: c, currency: "USD")
        #expect(section.tables.map(\.name) == ["commitments-by-month", "commitments"])
        let byMonth = section.tables[0]
        #expect(byMonth.rows.count == 3)
        #expect(byMonth.footer.count == 3)   // AWS, Microsoft, total
        let total = try #require(byMonth.footer.last)
        #expect(byMonth.raw(total[0]) == "Total")
        #expect(byMonth.raw(total[2]) == "870" && byMonth.raw(total[3]) == "450" && byMonth.raw(total[10]) == "168")
        let list = section.tables[1]
        #expect(list.rows.map { list.raw($0[7]) } == ["under-used", "", "stopped appearing"])
        #expect(list.raw(list.footer[0][2]) == "258" && list.raw(list.footer[0][3]) == "62")

        let md = try render(section)
        #expect(md.contains("## Commitment discounts"))
        #expect(md.contains("Commitments covered 51.7% of eligible usage at list cost ($450.00 of $870.00) and were 80.6% used"))
        #expect(md.contains("The effective savings rate over all usage was 11.1%: $168.00 below list cost"))
        #expect(md.contains("1 commitment was under-used (below 80% utilisation), with $52.00 unused."))
        #expect(md.contains("1 commitment stopped appearing before 2025-03-31: ri-1 (last seen 2025-02-20)"))
        #expect(md.contains("FOCUS 1.0 has no end date"))
        #expect(md.contains("billed cost puts a commitment's fee on its purchase"))
        // Every Markdown table row has as many cells as its header.
        for block in md.components(separatedBy: "\n\n") where block.hasPrefix("|") {
            let lines = block.split(separator: "\n").filter { $0.hasPrefix("|") }
            let cells = lines.map { $0.split(separator: "|", omittingEmptySubsequences: false).count }
            #expect(Set(cells).count == 1, "\(block)")
        }
    }

    @Test func dataWithoutCommitmentsSaysSoPlainly() throws {
        let rows = [Self.row("2025-03-02", list: "100", effective: "80"), Self.row("2025-03-03", list: "50", effective: "50", service: "Amazon S3")]
        let c = CommitmentDiscounts(try query(rows), window: Self.window, basis: .effective)
        #expect(!c.hasCommitments && !c.dataHasCommitments)
        #expect(c.coverage == nil && c.utilisation == nil && c.commitments.isEmpty)
        #expect(close(c.effectiveSavingsRate, 20.0 / 150))
        let md = try render(CommitmentSection(commitments: c, currency: "USD"))
        #expect(md.contains("The data has no commitment discounts"))
        #expect(md.contains("was 13.3% ($20.00 below list cost)"))
        #expect(!md.contains("### By commitment"))

        // Commitments in other dates only.
        let other = CommitmentDiscounts(try query(Self.rows), window: Day(iso: "2025-02-10")!...Day(iso: "2025-02-15")!, basis: .effective)
        #expect(!other.hasCommitments && other.dataHasCommitments)
        #expect(try render(CommitmentSection(commitments: other, currency: "USD")).contains("No commitment discounts from 2025-02-10 to 2025-02-15"))
    }

    @Test func committedUsageWithoutAStatusHasCoverageButNoUtilisation() throws {
        let rows = [Self.row("2025-03-02", list: "100", effective: "70", pricing: "Committed", id: "ri-9"),
                    Self.row("2025-03-02", list: "100", effective: "100")]
        let c = CommitmentDiscounts(try query(rows), window: Self.window, basis: .effective)
        #expect(c.hasCommitments)
        #expect(close(c.coverage, 0.5))
        #expect(c.utilisation == nil && c.commitments.isEmpty)
        let md = try render(CommitmentSection(commitments: c, currency: "USD"))
        #expect(md.contains("so their utilisation is unknown"))
    }

    @Test func commitmentsBeyondTheLimitAreSummedInOneRow() throws {
        var section = CommitmentSection(commitments: CommitmentDiscounts(try query(Self.rows), window: Self.window, basis: .effective), currency: "USD")
        section.limit = 1
        let t = section.tables[1]
        #expect(t.rows.map { t.raw($0[0]) } == ["sp-2", "2 others"])
        #expect(t.raw(t.rows[1][2]) == "230" && t.raw(t.rows[1][3]) == "10")      // sp-1 150 + ri-1 80; sp-1's 10
        #expect(t.raw(t.rows[1][7]) == "1 stopped appearing")
        #expect(t.raw(t.footer[0][0]) == "Total (3 commitments)")
    }

    func render(_ s: CommitmentSection) throws -> String {
        let templates = try TemplateSet(builtIn: try #require(TemplateSet.builtInFolder()), override: nil)
        return try templates.render(s.template, s.context(Formatter(currency: "USD")))
    }
}
