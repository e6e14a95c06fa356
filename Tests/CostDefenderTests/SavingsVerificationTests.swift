import Foundation
import Testing
@testable import CostDefender

/// Savings verification on hand-built daily series. Data from 2025-01-01 to 2025-06-30; findings
/// implemented 2025-03-01: baseline 2025-01-30…02-28, settling 14 days, after 2025-03-15…04-13,
/// latest window 2025-06-01…06-30. A month is 30.4375 days.
@Suite struct SavingsVerificationTests {
    static let header = "BilledCost,EffectiveCost,ListCost,ChargePeriodStart,BillingCurrency,ProviderName,SubAccountId,ServiceName,ChargeCategory,Tags"

    /// One row a day for a service in an account, at a cost that may depend on the day.
    static func series(service: String, account: String = "1", cost: (Day) -> Int) -> [String] {
        var rows: [String] = []
        var d = Day(iso: "2025-01-01")!
        while d <= Day(iso: "2025-06-30")! {
            rows.append("\(cost(d)),\(cost(d)),\(cost(d)),\(d)T00:00:00Z,USD,AWS,\"\(account)\",\(service),Usage,\"{\"\"team\"\": \"\"ops\"\"}\"")
            d = d.advanced(by: 1)
        }
        return rows
    }

    static let implemented = Day(iso: "2025-03-01")!

    func verify(_ rows: [String], ledger: [String], metrics: String? = nil) throws -> [String: SavingsVerification.Result] {
        let dir = TestFiles.tempDir()
        var c = Configuration()
        c.inputs.focus = [TestFiles.write(([Self.header] + rows).joined(separator: "\n"), to: dir + "/f.csv")]
        c.inputs.ledger = TestFiles.write((["id,title,team,status,identified_on,committed_monthly,implemented_on,scope,driver"] + ledger).joined(separator: "\n"), to: dir + "/ledger.csv")
        c.inputs.metrics = metrics.map { TestFiles.write($0, to: dir + "/metrics.csv") }
        c.allocation.teamTags = ["team"]
        c.output = dir + "/Output"
        let analysis = try Pipeline(configuration: c, asOf: Day(iso: "2025-06-30")).analyse()
        let savings = try #require(analysis.periods.last?.savings)
        return Dictionary(uniqueKeysWithValues: savings.results.map { ($0.entry.id, $0) })
    }

    @Test func aCleanSavingIsVerified() throws {
        // 100 a day before, 60 a day after: 40 × 30.4375 = 1,217.50 a month against 1,200 committed.
        let r = try verify(Self.series(service: "EC2") { $0 < Self.implemented ? 100 : 60 },
                           ledger: ["A,Right-size,ops,implemented,2025-01-10,1200,2025-03-01,service=EC2,"])["A"]!
        #expect(r.status == .verified)
        #expect(r.baselineDaily == Amount(whole: 100))
        #expect(r.afterDaily == Amount(whole: 60))
        #expect(r.realisedMonthly == Amount(cents: 121_750))
        #expect(r.currentMonthly == Amount(cents: 121_750))
        // Realised to date: 40 a day from 03-15 to 06-30 (108 days).
        #expect(r.realisedToDate == Amount(whole: 40 * 108))
    }

    @Test func aSavingHiddenByGrowthIsFoundPerUnitAndAFakeOneIsNot() throws {
        // Units double from March while cost stays at 100 a day: per unit, cost halved.
        let metrics = "period,metric,value,team\n" + ["01": 31, "02": 28, "03": 31, "04": 30, "05": 31, "06": 30].map { m, days in
            "2025-\(m),requests,\(days * (m < "03" ? 100 : 200)),ops"
        }.joined(separator: "\n")
        let hidden = try verify(Self.series(service: "EC2") { _ in 100 },
                                ledger: ["B,Cache,ops,implemented,2025-01-10,3000,2025-03-01,service=EC2,requests",
                                         "C,Same without driver,ops,implemented,2025-01-10,3000,2025-03-01,service=S3,"],
                                metrics: metrics)
        // Expected at the baseline unit cost: 200 a day; actual 100: 100 × 30.4375 a month.
        #expect(hidden["B"]!.realisedMonthly == Amount(cents: 304_375))
        #expect(hidden["B"]!.status == .verified)
        #expect(hidden["B"]!.driver == "requests")
        // Volume halves with cost: no saving per unit, although cost fell.
        let dropMetrics = metrics.replacingOccurrences(of: ",ops", with: ",ops").split(separator: "\n").map { line -> String in
            let parts = line.split(separator: ",")
            guard parts.count == 4, parts[0].hasPrefix("2025"), parts[0] >= "2025-03" else { return String(line) }
            return "\(parts[0]),\(parts[1]),\(Int(parts[2])! / 4),\(parts[3])"   // 200/day → 50/day
        }.joined(separator: "\n")
        let fake = try verify(Self.series(service: "EC2") { $0 < Self.implemented ? 100 : 50 },
                              ledger: ["D,Looks like a saving,ops,implemented,2025-01-10,1000,2025-03-01,service=EC2,requests"], metrics: dropMetrics)
        #expect(fake["D"]!.realisedMonthly == .zero)
        #expect(fake["D"]!.status == .notRealised)
    }

    @Test func regressionOverlapTooEarlyAndNoData() throws {
        var rows = Self.series(service: "EC2") { d in d < Self.implemented ? 100 : (d < Day(iso: "2025-05-01")! ? 50 : 100) }
        rows += Self.series(service: "RDS", account: "1") { _ in 30 }
        rows += Self.series(service: "RDS", account: "2") { _ in 20 }
        rows += Self.series(service: "Lambda") { _ in 5 }
        let r = try verify(rows, ledger: [
            "E,Regresses,ops,implemented,2025-01-10,1000,2025-03-01,service=EC2,",
            "F,Broad RDS,ops,implemented,2025-01-10,10,2025-03-01,service=RDS,",
            "G,RDS account 1,ops,implemented,2025-01-10,10,2025-03-01,service=RDS; account=1,",
            "H,Too early,ops,implemented,2025-01-10,10,2025-06-10,service=Lambda,",
            "I,Nothing,ops,implemented,2025-01-10,10,2025-03-01,service=Nope,",
            "J,Not done,ops,committed,2025-01-10,10,,service=EC2,",
        ])
        #expect(r["E"]!.status == .regressed)
        #expect(r["E"]!.realisedMonthly?.exactDescription == "1521.875")   // 50 × 30.4375
        #expect(r["E"]!.currentMonthly == .zero)
        // Account 1's RDS cells belong to G (more specific) only; F keeps account 2.
        #expect(r["G"]!.baselineDaily == Amount(whole: 30))
        #expect(r["F"]!.baselineDaily == Amount(whole: 20))
        #expect(r["F"]!.overlaps == ["G"])
        #expect(r["H"]!.status == .tooEarly)
        #expect(r["I"]!.status == .noData)
        #expect(r["J"]!.status == .notImplemented)
    }

    @Test func theFunnelCountsAndRates() throws {
        let rows = Self.series(service: "EC2") { $0 < Self.implemented ? 100 : 60 }
        let r = try verify(rows, ledger: [
            "A,Done,ops,implemented,2025-01-10,1200,2025-03-01,service=EC2,",
            "B,Planned,ops,committed,2025-01-11,500,,service=EC2,",
            "C,Idea,ops,identified,2025-01-12,300,,service=EC2,",
            "D,No,ops,rejected,2025-01-13,100,,service=EC2,",
        ])
        let funnel = SavingsFunnel(Array(r.values), window: "all", identifiedIn: nil)
        #expect(funnel.stages.map(\.count) == [4, 2, 1, 1])
        #expect(funnel.stages.map(\.amount) == [Amount(whole: 2100), Amount(whole: 1700), Amount(whole: 1200), Amount(cents: 121_750)])
        #expect(funnel.implementationRate.count == 0.25)
        #expect(abs(funnel.realisationRate! - 1217.5 / 1200) < 1e-12)
    }
}
