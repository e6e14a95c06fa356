import Foundation
import Testing
@testable import CostDefender

/// Bridges worked out on paper. Prior quarter: FY2025-Q1 (Jan–Mar 2025), current: FY2025-Q2.
@Suite struct BridgeTests {
    static let header = "BilledCost,EffectiveCost,ListCost,ChargePeriodStart,BillingCurrency,ProviderName,SubAccountId,ServiceName,RegionId,ChargeCategory,ChargeClass,Tags"

    static func row(_ effective: String, list: String? = nil, day: String, team: String?, account: String = "111", service: String = "EC2",
                    category: String = "Usage", correction: Bool = false) -> String {
        let tags = team.map { "\"{\"\"team\"\": \"\"\($0)\"\"}\"" } ?? "NULL"
        return "\(effective),\(effective),\(list ?? effective),\(day),USD,AWS,\"\(account)\",\(service),us-east-1,\(category),\(correction ? "Correction" : "NULL"),\(tags)"
    }

    func analyse(_ rows: [String], metrics: String? = nil, forecasts: String? = nil, asOf: String = "2025-06-30") throws -> PeriodFigures {
        let dir = TestFiles.tempDir()
        var c = Configuration()
        c.inputs.focus = [TestFiles.write(([Self.header] + rows).joined(separator: "\n"), to: dir + "/f.csv")]
        c.inputs.metrics = metrics.map { TestFiles.write($0, to: dir + "/metrics.csv") }
        c.inputs.forecasts = forecasts.map { TestFiles.write($0, to: dir + "/forecasts.csv") }
        c.allocation.teamTags = ["team"]
        c.output = dir + "/Output"
        let analysis = try Pipeline(configuration: c, asOf: Day(iso: asOf)).analyse()
        return analysis.periods.first { $0.period.name == "FY2025-Q2" }!
    }

    func driver(_ b: Bridge, _ k: DriverKind) -> Amount { b.drivers.first { $0.kind == k }?.amount ?? .zero }
    func owner(_ b: Bridge, _ k: DriverKind, _ team: String) -> Amount? { b.drivers.first { $0.kind == k }?.owners.first { $0.team == team }?.amount }
    func dollars(_ s: String) -> Amount { if case .value(let a, _) = Amount.parse(s) { return a }; fatalError() }

    @Test func volumeEfficiencyAndRateOnPaper() throws {
        // pay: R0 = 100 at list 125 (d0 = 0.8), 1,000 transactions; R1 = 132 at list 150 (d1 = 0.88), 1,200.
        // volume = 100·(1200/1000 − 1) = 20; efficiency = (150 − 125·1.2)·0.8 = 0; rate = (0.88 − 0.8)·150 = 12.
        // search (no metric): R0 = 50 at list 50, R1 = 60 at list 75: usage = (75 − 50)·1 = 25, rate = 10 − 25 = −15.
        let f = try analyse([
            Self.row("100", list: "125", day: "2025-02-10", team: "pay"),
            Self.row("132", list: "150", day: "2025-05-10", team: "pay"),
            Self.row("50", day: "2025-02-11", team: "search", service: "S3"),
            Self.row("60", list: "75", day: "2025-05-11", team: "search", service: "S3"),
        ], metrics: "period,metric,value,team\n2025-01,tx,400,pay\n2025-02,tx,600,pay\n2025-04,tx,1200,pay\n")
        let b = f.bridge
        #expect(b.start == Amount(whole: 150))
        #expect(b.end == Amount(whole: 192))
        #expect(owner(b, .volume, "pay") == Amount(whole: 20))
        #expect(owner(b, .efficiency, "pay") == nil)          // exactly zero: not listed
        #expect(owner(b, .rate, "pay") == Amount(whole: 12))
        #expect(owner(b, .volume, "search") == Amount(whole: 25))
        #expect(owner(b, .rate, "search") == Amount(whole: -15))
        #expect(driver(b, .volume) == Amount(whole: 45))
        #expect(driver(b, .rate) == Amount(whole: -3))
        #expect(b.residual == .zero)
        #expect(b.balances)
    }

    @Test func newTeamCreditsCorrectionsAndRetagging() throws {
        let f = try analyse([
            Self.row("80", day: "2025-03-01", team: "pay"),
            Self.row("80", day: "2025-06-01", team: "pay"),
            Self.row("40", day: "2025-04-20", team: "newbie", service: "Lambda"),          // new team: +40
            Self.row("-5", day: "2025-05-02", team: "pay", category: "Credit"),            // credit: −5
            Self.row("-7", day: "2025-03-15", team: "pay", correction: true).replacingOccurrences(of: "2025-03-15", with: "2025-04-03"), // refund correcting last quarter, billed now: −7
            Self.row("20", day: "2025-01-05", team: "old", service: "SQS"),                // retired: −20
            Self.row("30", day: "2025-02-05", team: nil, account: "333", service: "S3"),  // untagged before …
            Self.row("33", day: "2025-05-05", team: "tidy", account: "333", service: "S3"), // … tagged now: re-tagging 30, usage +3
        ])
        let b = f.bridge
        #expect(b.start == Amount(whole: 130))
        #expect(b.end == Amount(whole: 141))
        #expect(owner(b, .new, "newbie") == Amount(whole: 40))
        #expect(driver(b, .credits) == Amount(whole: -5))
        #expect(driver(b, .corrections) == Amount(whole: -7))
        #expect(owner(b, .retired, "old") == Amount(whole: -20))
        #expect(owner(b, .allocation, "tidy") == Amount(whole: 30))
        #expect(owner(b, .allocation, AllocatedCosts.unallocatedTeam) == Amount(whole: -30))
        #expect(driver(b, .allocation) == .zero)
        #expect(owner(b, .volume, "tidy") == Amount(whole: 3))
        #expect(driver(b, .new) == Amount(whole: 40))
        #expect(b.residual == .zero)
        #expect(b.balances)
    }

    @Test func zeroPriorVolumeAndAMissingMetricFallBackToUsage() throws {
        // zero: metric 0 in the prior quarter → usage split. ghost: metric only in the prior quarter → usage split.
        // nolist: no list cost at all → the change is unexplained.
        let f = try analyse([
            Self.row("10", day: "2025-02-01", team: "zero"), Self.row("15", day: "2025-05-01", team: "zero"),
            Self.row("10", day: "2025-02-01", team: "ghost", service: "RDS"), Self.row("12", day: "2025-05-01", team: "ghost", service: "RDS"),
            Self.row("10", list: "0", day: "2025-02-01", team: "nolist", service: "Tax"), Self.row("11", list: "0", day: "2025-05-01", team: "nolist", service: "Tax"),
        ], metrics: "period,metric,value,team\n2025-02,users,0,zero\n2025-05,users,100,zero\n2025-02,calls,50,ghost\n")
        let b = f.bridge
        #expect(owner(b, .volume, "zero") == Amount(whole: 5))
        #expect(owner(b, .volume, "ghost") == Amount(whole: 2))
        #expect(owner(b, .efficiency, "ghost") == nil)
        #expect(b.residual == Amount(whole: 1))
        #expect(b.residualOwners.first?.team == "nolist")
        #expect(abs(b.unexplainedShare! - 1.0 / 8) < 1e-12)
    }

    @Test func forecastBridgeUsesTheLatestForecastMadeBeforeTheQuarter() throws {
        let f = try analyse([
            Self.row("100", day: "2025-05-10", team: "pay"),
            Self.row("30", day: "2025-05-10", team: "search", service: "S3"),
            Self.row("5", day: "2025-05-11", team: nil, account: "9", service: "S3"),
            Self.row("-4", day: "2025-05-12", team: "pay", category: "Credit"),
        ], forecasts: """
            made_on,period,team,amount
            2025-02-01,2025-05,pay,50
            2025-03-20,2025-05,pay,90
            2025-04-05,2025-05,pay,999
            2025-03-20,2025-05,search,40
            """)
        let b = try #require(f.variance.forecast)
        // Start: pay 90 (made 2025-03-20, the latest before 2025-04-01) + search 40 = 130. End: 131.
        #expect(b.start == Amount(whole: 130))
        #expect(b.end == Amount(whole: 131))
        #expect(driver(b, .oneTime) == Amount(whole: -4))
        #expect(driver(b, .noTarget) == Amount(whole: 5))
        #expect(owner(b, .teamsOverTarget, "pay") == Amount(whole: 10))
        #expect(owner(b, .teamsUnderTarget, "search") == Amount(whole: -10))
        #expect(b.residual == .zero)
        #expect(b.balances)
        #expect(f.variance.missing[.budget] != nil)
    }

    @Test func everyBridgeSumsExactlyOnRandomData() throws {
        var rng = SeededGenerator(seed: 11)
        let teams = ["a", "b", "c", "d", nil]
        let categories = ["Usage", "Usage", "Usage", "Credit", "Purchase", "Adjustment", "Tax"]
        for round in 0..<12 {
            var rows: [String] = []
            for _ in 0..<Int.random(in: 5...60, using: &rng) {
                let month = Int.random(in: 1...6, using: &rng)
                let cents = Int.random(in: -5_000...500_000, using: &rng)
                let effective = Amount(cents: cents).exactDescription
                let list = Amount(cents: cents + Int.random(in: 0...100_000, using: &rng) * (Bool.random(using: &rng) ? 1 : 0)).exactDescription
                rows.append(Self.row(effective, list: list, day: "2025-0\(month)-1\(Int.random(in: 0...9, using: &rng))", team: teams.randomElement(using: &rng)!,
                                     account: ["1", "2", "3"].randomElement(using: &rng)!, service: ["EC2", "S3", "RDS"].randomElement(using: &rng)!,
                                     category: categories.randomElement(using: &rng)!, correction: Int.random(in: 0..<10, using: &rng) == 0))
            }
            let metrics = "period,metric,value,team\n" + (1...6).map { "2025-0\($0),m,\(Int.random(in: 0...1000, using: &rng)),a" }.joined(separator: "\n")
            let forecasts = "made_on,period,team,amount\n" + ["a", "b", "*"].flatMap { t in (4...6).map { "2025-03-01,2025-0\($0),\(t),\(Int.random(in: 0...3000, using: &rng))" } }.joined(separator: "\n")
            let asOf = round % 2 == 0 ? "2025-06-30" : "2025-05-17"
            let f = try analyse(rows, metrics: metrics, forecasts: forecasts, asOf: asOf)
            for b in f.variance.bridges { #expect(b.balances, "round \(round): \(b.kind) does not add up") }
            // Team bridges add up to the organisation's, driver by driver.
            let team = f.teamPages.map { TeamBridgeSection(figures: f, team: $0.team, slug: $0.slug).bridge }
            #expect(team.reduce(Amount.zero) { $0 + $1.change } == f.bridge.change)
            for k in DriverKind.allCases {
                let sum = team.reduce(Amount.zero) { t, b in t + (k == .unexplained ? b.residual : driver(b, k)) }
                #expect(sum == (k == .unexplained ? f.bridge.residual : driver(f.bridge, k)), "round \(round): \(k)")
            }
        }
    }
}

/// A small deterministic generator so property tests reproduce.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    init(seed: UInt64) { self.init(state: seed) }
}
