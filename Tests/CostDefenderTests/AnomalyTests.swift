import Foundation
import Testing
@testable import CostDefender

/// Anomaly detection on hand-built daily series, and precision/recall on seeded random series
/// with injected spikes and drops.
@Suite struct AnomalyTests {
    static let header = "BilledCost,EffectiveCost,ListCost,ChargePeriodStart,BillingCurrency,ProviderName,SubAccountId,SubAccountName,ServiceName,RegionId,ChargeCategory,ChargeFrequency,Tags"

    static func row(_ cost: Amount, _ day: Day, team: String = "pay", service: String = "EC2", account: String = "111",
                    region: String = "us-east-1", category: String = "Usage", frequency: String = "Usage-Based") -> String {
        let c = cost.exactDescription
        return "\(c),\(c),\(c),\(day)T00:00:00Z,USD,AWS,\"\(account)\",\"Account \(account)\",\(service),\(region),\(category),\(frequency),\"{\"\"team\"\": \"\"\(team)\"\"}\""
    }

    /// `perDay(day)` dollars (as cents) every day from `from` through `through`.
    static func series(from: Day = Day(year: 2025, month: 1, day: 1), through: Day = Day(year: 2025, month: 3, day: 31),
                       team: String = "pay", service: String = "EC2", account: String = "111", _ perDay: (Day) -> Int) -> [String] {
        stride(from: from, through: through, by: 1).map { row(Amount(cents: perDay($0)), $0, team: team, service: service, account: account) }
    }

    static let march = Day(year: 2025, month: 3, day: 1)...Day(year: 2025, month: 3, day: 31)

    func query(_ rows: [String], asOf: String = "2025-03-31") throws -> FactQuery {
        let dir = TestFiles.tempDir()
        var c = Configuration()
        c.inputs.focus = [TestFiles.write(([Self.header] + rows).joined(separator: "\n"), to: dir + "/f.csv")]
        c.allocation.teamTags = ["team"]
        c.output = dir + "/Output"
        let analysis = try Pipeline(configuration: c, asOf: Day(iso: asOf)).analyse()
        return FactQuery(analysis.allocated)
    }

    func detect(_ rows: [String], window: ClosedRange<Day> = march, notes: [Note] = [],
                contacts: [String: Configuration.TeamContact] = [:], settings: AnomalyDetector.Settings = .init()) throws -> AnomalyDetector {
        AnomalyDetector(try query(rows), window: window, basis: .effective, contacts: contacts, notes: notes, settings: settings)
    }

    func note(_ scope: String, _ text: String, _ days: ClosedRange<Day>) -> Note {
        guard case .success(let s) = ScopeParser.parse(scope) else { fatalError(scope) }
        return Note(days: days, conditions: s.conditions, teams: s.teams, scopeText: scope, text: text)
    }

    static func d(_ m: Int, _ day: Int) -> Day { Day(year: 2025, month: m, day: day) }

    @Test func aSpikeOnAFlatSeriesIsOneAnomalyWithItsImpactRootCauseOwnerAndNotes() throws {
        let spike = Self.d(3, 12)
        // Account 111 at $60 a day, account 222 at $40 a day; on March 12 account 222 costs $340.
        let rows = Self.series(account: "111") { _ in 6_000 } + Self.series(account: "222") { $0 == spike ? 34_000 : 4_000 }
            + Self.series(team: "web", service: "S3") { _ in 2_500 }
        let notes = [note("team=pay", "Load test on the 12th", spike...spike), note("team=web", "Web note", spike...spike),
                     note("service=s3", "S3 note", spike...spike), note("team=pay", "Too early", Self.d(2, 1)...Self.d(2, 28)),
                     note("account=222", "Account 222 batch job", Self.d(3, 1)...Self.d(3, 31)), note("*", "Everyone", spike...spike)]
        let a = try detect(rows, notes: notes, contacts: ["pay": .init(owner: "Ana Pay", contact: "#pay-costs")])
        try #require(a.anomalies.count == 1)
        let x = a.anomalies[0]
        #expect(x.team == "pay" && x.service == "EC2")
        #expect(x.firstDay == spike && x.lastDay == spike)
        #expect(x.expected == Amount(whole: 100))
        #expect(x.actual == Amount(whole: 400))
        #expect(x.impact == Amount(whole: 300))
        #expect(x.maxZ == .infinity)    // a flat history: MAD = 0, the floor decides
        #expect(x.owner == "Ana Pay" && x.contact == "#pay-costs")
        #expect(x.notes.map(\.text) == ["Load test on the 12th", "Account 222 batch job"])
        let accounts = x.rootCauses(.account)
        #expect(accounts.map(\.value) == ["222"])
        #expect(accounts.first?.label == "Account 222 (222)")
        #expect(accounts.first?.impact == Amount(whole: 300))
        #expect(accounts.first?.share == 1)
        #expect(x.rootCauses(.region).first?.value == "us-east-1")
        #expect(x.rootCauses(.chargeCategory).first?.impact == Amount(whole: 300))
        #expect(!x.resourcesAvailable && x.rootCauses(.resource).isEmpty)
        #expect(x.accounts == ["111", "222"])
        #expect(a.judged == Self.march)
        #expect(a.seriesCount == 2)
    }

    @Test func aDropIsANegativeAnomaly() throws {
        let rows = Self.series { ($0 >= Self.d(3, 20) && $0 <= Self.d(3, 21)) ? 2_000 : 50_000 }
        let a = try detect(rows)
        try #require(a.anomalies.count == 1)
        let x = a.anomalies[0]
        #expect(x.firstDay == Self.d(3, 20) && x.lastDay == Self.d(3, 21))
        #expect(x.impact == Amount(whole: -960))
        #expect(!x.isIncrease && x.maxZ == -.infinity)
    }

    @Test func aLevelShiftIsFlaggedFromItsFirstDay() throws {
        let shift = Self.d(3, 10)
        // Some noise so the MAD is not zero: ±$1 around $100, then $300 from March 10.
        let rows = Self.series { d in (d >= shift ? 30_000 : 10_000) + (Int(d.index) % 3 - 1) * 100 }
        let a = try detect(rows)
        try #require(a.anomalies.count == 1)
        let x = a.anomalies[0]
        #expect(x.firstDay == shift)
        #expect(x.isIncrease)
        // The baseline catches up once 4 of the 8 same-weekday points are at the new level:
        // March 10 + 28 days is past the window, so the anomaly runs to its end.
        #expect(x.lastDay == Self.d(3, 31))
        #expect(x.impact > Amount(whole: 190 * x.dayCount))
        #expect(x.impact < Amount(whole: 210 * x.dayCount))
    }

    @Test func weeklyPeaksAreNotAnomaliesButAnUnusualMondayIs() throws {
        // $100 on weekdays, $400 on Mondays, $20 at weekends.
        func cost(_ d: Day) -> Int { d.weekday == 0 ? 40_000 : d.weekday >= 5 ? 2_000 : 10_000 }
        #expect(try detect(Self.series(cost)).anomalies.isEmpty)
        let unusual = Self.d(3, 17)   // a Monday
        #expect(unusual.weekday == 0)
        let a = try detect(Self.series { $0 == unusual ? 90_000 : cost($0) })
        #expect(a.anomalies.map(\.firstDay) == [unusual])
        #expect(a.anomalies.first?.expected == Amount(whole: 400))
    }

    @Test func changesBelowTheDollarFloorAreNotFlagged() throws {
        // $10 a day with a $45 day: 4.5× the level, but $35 above the median.
        #expect(try detect(Self.series { $0 == Self.d(3, 12) ? 4_500 : 1_000 }).anomalies.isEmpty)
        // $1,000 a day with ±$1 noise and a $1,045 day: a huge z-score, still under the $50 floor.
        #expect(try detect(Self.series { d in d == Self.d(3, 12) ? 104_500 : 100_000 + (Int(d.index) % 3 - 1) * 100 }).anomalies.isEmpty)
        // A lower floor flags it.
        var s = AnomalyDetector.Settings()
        s.floor = Amount(whole: 40)
        #expect(try detect(Self.series { d in d == Self.d(3, 12) ? 104_500 : 100_000 + (Int(d.index) % 3 - 1) * 100 }, settings: s).anomalies.count == 1)
    }

    @Test func purchasesCreditsAndOneTimeChargesAreNotAnomalies() throws {
        let day = Self.d(3, 12)
        let rows = Self.series { _ in 10_000 } + [
            Self.row(Amount(whole: 5_000), day, category: "Purchase", frequency: "One-Time"),
            Self.row(Amount(whole: 3_000), day, category: "Usage", frequency: "One-Time"),
            Self.row(Amount(whole: 2_000), day, category: "Purchase", frequency: "Recurring"),
            Self.row(Amount(whole: -4_000), Self.d(3, 14), category: "Credit", frequency: "One-Time"),
            Self.row(Amount(whole: -1_000), Self.d(3, 15), category: "Adjustment", frequency: "One-Time"),
        ]
        #expect(try detect(rows).anomalies.isEmpty)
    }

    @Test func monthlyRecurringFeesAreLeftOutUnlessAskedFor() throws {
        // A support plan billed on each 1st for the whole month.
        let rows = Self.series { _ in 10_000 } + (1...3).map { Self.row(Amount(whole: 2_000), Self.d($0, 1), category: "Usage", frequency: "Recurring") }
        #expect(try detect(rows).anomalies.isEmpty)
        var s = AnomalyDetector.Settings()
        s.excludeRecurring = false
        #expect(try detect(rows, settings: s).anomalies.map(\.firstDay) == [Self.d(3, 1)])
    }

    @Test func aDayMissingFromTheExportIsAGapNotADrop() throws {
        let gap = Self.d(3, 12)
        let rows = (Self.series { _ in 10_000 } + Self.series(team: "web") { _ in 20_000 }).filter { !$0.contains("\(gap)T") }
        let a = try detect(rows)
        #expect(a.anomalies.isEmpty)
        // One series missing that day while the other has cost is a real drop.
        let partial = Self.series { _ in 10_000 }.filter { !$0.contains("\(gap)T") } + Self.series(team: "web") { _ in 20_000 }
        #expect(try detect(partial).anomalies.map(\.impact) == [Amount(whole: -100)])
    }

    @Test func tooLittleHistoryIsNotJudgedAndTheWindowStopsAtTheData() throws {
        // Data from March 1st only: the first 7 days have too little history; a spike on day 3 is not judged.
        let rows = Self.series(from: Self.d(3, 1)) { $0 == Self.d(3, 3) ? 90_000 : 10_000 }
        #expect(try detect(rows).anomalies.isEmpty)
        // A window running past the last day of data is judged only up to it (no false drops).
        let a = try detect(Self.series(through: Self.d(3, 20)) { _ in 10_000 }, window: Self.d(3, 1)...Self.d(4, 30))
        #expect(a.anomalies.isEmpty)
        #expect(a.judged == Self.d(3, 1)...Self.d(3, 20))
    }

    @Test func theSectionListsTheAnomaliesAndFiltersByTeam() throws {
        let rows = Self.series { $0 == Self.d(3, 12) ? 40_000 : 10_000 }
            + Self.series(team: "web|*evil*", service: "S3") { $0 == Self.d(3, 19) ? 1_000 : 20_000 }
        let a = try detect(rows, notes: [note("team=pay", "Load *test*", Self.d(3, 12)...Self.d(3, 12))],
                           contacts: ["pay": .init(owner: "Ana", contact: "ana@example.com")])
        #expect(a.anomalies.map(\.team) == ["pay", "web|*evil*"])
        let f = Formatter(currency: "USD")
        let section = AnomalySection(anomalies: a, currency: "USD")
        let table = section.tables[0]
        #expect(table.name == "anomalies")
        #expect(table.rows.count == 2)
        #expect(table.raw(table.rows[0][6]) == "300")
        #expect(table.display(table.rows[0][7], .text, f).hasPrefix("account Account 111 (111) +$300.00 (100.0%)"))
        #expect(table.raw(table.rows[0][8]) == "Ana, ana@example.com")
        #expect(table.raw(table.footer[0][6]) == "110")
        let templates = try TemplateSet(builtIn: try #require(TemplateSet.builtInFolder()), override: nil)
        let md = try templates.render(section.template, section.context(f))
        #expect(md.contains("## Anomalies"))
        #expect(md.contains("2 anomalies in daily cost by team and service from 2025-03-01 to 2025-03-31"))
        #expect(md.contains("web\\|\\*evil\\*"))
        #expect(md.contains("Load \\*test\\*"))
        #expect(md.contains("[anomalies.csv](anomalies.csv)"))
        #expect(md.contains("exceeds 3.5 in magnitude"))
        let team = AnomalySection(anomalies: a, currency: "USD", teamFilter: "pay", tableName: "team-pay-anomalies")
        #expect(team.tables[0].name == "team-pay-anomalies")
        #expect(team.tables[0].rows.count == 1)
        let teamMd = try templates.render(team.template, team.context(f))
        #expect(teamMd.contains("1 anomaly in pay's daily cost by service"))
        let none = AnomalySection(anomalies: a, currency: "USD", teamFilter: "nobody", tableName: "team-nobody-anomalies")
        #expect(try templates.render(none.template, none.context(f)).contains("No anomalies in nobody's daily cost by service"))
        // The JSON for alert routing: exact money, every anomaly, deterministic.
        let json = a.json(currency: "USD").serialized()
        #expect(json.contains("\"impact\": 300,"))
        #expect(json.contains("\"impact\": -190,"))
        #expect(json.contains("\"owner\": \"Ana\""))
        #expect(json.contains("\"text\": \"Load *test*\""))
        #expect(json.contains("\"max_z\": null"))
        #expect(json == (try detect(rows, notes: [note("team=pay", "Load *test*", Self.d(3, 12)...Self.d(3, 12))],
                                    contacts: ["pay": .init(owner: "Ana", contact: "ana@example.com")]).json(currency: "USD").serialized()))
    }

    // MARK: - Precision and recall on random series

    struct Injected { var series: Int; var days: ClosedRange<Day> }

    static func gaussian(_ rng: inout SeededGenerator) -> Double {
        let u = max(Double.random(in: 0..<1, using: &rng), 1e-12), v = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Random series: 12 teams × 4 services, levels $80–$1,500 a day, half with quieter weekends,
    /// 1.5 % day-to-day noise, a few purchases and credits (never anomalies), and spikes or drops
    /// of 1–3 days injected into the window. `noise` scales the noise.
    static func randomData(seed: UInt64, noise: Double = 0.015) -> (rows: [String], injected: [Injected], names: [(String, String)]) {
        var rng = SeededGenerator(seed: seed)
        let from = d(1, 1), through = d(6, 30), window = d(4, 1)...d(6, 30)
        var rows: [String] = [], injected: [Injected] = [], names: [(String, String)] = []
        for t in 0..<12 {
            for (si, service) in ["EC2", "S3", "RDS", "Lambda"].enumerated() {
                let s = names.count
                names.append(("team\(t)", service))
                let level = exp(Double.random(in: log(80.0)...log(1_500.0), using: &rng))
                let weekly = Bool.random(using: &rng)
                // Events: 0–3 per series, at least 10 days apart.
                var factor: [Day: Double] = [:]
                var starts: [Day] = []
                for _ in 0..<Int.random(in: 0...3, using: &rng) {
                    let start = window.lowerBound.advanced(by: Int.random(in: 0...87, using: &rng))
                    if starts.contains(where: { abs($0.distance(to: start)) < 10 }) { continue }
                    let length = Int.random(in: 1...3, using: &rng)
                    let up = Double.random(in: 0..<1, using: &rng) < 0.75
                    let f = up ? Double.random(in: 1.4...3.0, using: &rng) : Double.random(in: 0.2...0.6, using: &rng)
                    let days = start...min(start.advanced(by: length - 1), window.upperBound)
                    // Only changes the definition counts: every day of the event clears the floor.
                    let minimumLevel = days.map { weekly && $0.weekday >= 5 ? level * 0.5 : level }.min()!
                    if minimumLevel * abs(f - 1) < 80 { continue }
                    starts.append(start)
                    for day in days { factor[day] = f }
                    injected.append(Injected(series: s, days: days))
                }
                var day = from
                while day <= through {
                    var cost = level * (weekly && day.weekday >= 5 ? 0.5 : 1) * (1 + noise * gaussian(&rng))
                    cost *= factor[day] ?? 1
                    rows.append(row(Amount(cents: Int((cost * 100).rounded())), day, team: "team\(t)", service: service, account: "\(100 + si)"))
                    day = day.advanced(by: 1)
                }
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    let p = window.lowerBound.advanced(by: Int.random(in: 0...90, using: &rng))
                    rows.append(row(Amount(whole: Int.random(in: 500...20_000, using: &rng)), p, team: "team\(t)", service: service, category: "Purchase", frequency: "One-Time"))
                    rows.append(row(Amount(whole: -Int.random(in: 100...2_000, using: &rng)), p.advanced(by: -3), team: "team\(t)", service: service, category: "Credit", frequency: "One-Time"))
                }
            }
        }
        return (rows, injected, names)
    }

    func precisionAndRecall(seed: UInt64, noise: Double) throws -> (precision: Double, recall: Double, detected: Int, injected: Int) {
        let data = Self.randomData(seed: seed, noise: noise)
        let window = Self.d(4, 1)...Self.d(6, 30)
        let a = AnomalyDetector(try query(data.rows, asOf: "2025-06-30"), window: window, basis: .effective, contacts: [:], notes: [])
        let index = Dictionary(uniqueKeysWithValues: data.names.enumerated().map { ("\($1.0)/\($1.1)", $0) })
        let hits = a.anomalies.map { x in data.injected.contains { $0.series == index["\(x.team)/\(x.service)"] && $0.days.overlaps(x.firstDay...x.lastDay) } }
        let found = data.injected.map { e in a.anomalies.contains { index["\($0.team)/\($0.service)"] == e.series && e.days.overlaps($0.firstDay...$0.lastDay) } }
        let precision = a.anomalies.isEmpty ? 1 : Double(hits.filter { $0 }.count) / Double(hits.count)
        let recall = found.isEmpty ? 1 : Double(found.filter { $0 }.count) / Double(found.count)
        return (precision, recall, a.anomalies.count, data.injected.count)
    }

    @Test func injectedSpikesAreFoundWithHighPrecisionAndRecall() throws {
        var tp = 0.0, detected = 0, recalled = 0.0, injected = 0
        for seed: UInt64 in [1, 2, 3] {
            let r = try precisionAndRecall(seed: seed, noise: 0.015)
            print("anomalies seed \(seed): precision \(r.precision), recall \(r.recall) (\(r.detected) detected, \(r.injected) injected)")
            #expect(r.precision >= 0.8, "seed \(seed)")
            #expect(r.recall >= 0.8, "seed \(seed)")
            #expect(r.injected >= 40)
            tp += r.precision * Double(r.detected); detected += r.detected
            recalled += r.recall * Double(r.injected); injected += r.injected
        }
        print("anomalies overall: precision \(tp / Double(detected)), recall \(recalled / Double(injected))")
    }

    @Test func noisierSeriesAreReported() throws {
        // Not asserted beyond recall: a same-weekday MAD from 8 points is itself noisy, so with
        // 5 % day-to-day noise some ordinary days of the larger series pass |z| > 3.5 and the floor.
        let r = try precisionAndRecall(seed: 7, noise: 0.05)
        print("anomalies with 5% noise: precision \(r.precision), recall \(r.recall) (\(r.detected) detected, \(r.injected) injected)")
        #expect(r.recall >= 0.8)
    }

    // MARK: - The sample pack

    @Test func theSamplesIncidentsAreFoundWithTheirNotesAndMonthlyFeesAreNot() throws {
        let config = try ConfigurationLoader.load(path: TestFiles.repository + "/Samples/costdefender.yaml")
        let analysis = try Pipeline(configuration: config, asOf: Day(year: 2026, month: 11, day: 15)).analyse()
        let q = FactQuery(analysis.allocated)
        var all: [AnomalyDetector.Anomaly] = []
        for p in analysis.periods {
            let start = Date()
            let a = AnomalyDetector(q, window: p.period.days, basis: config.costBasis, contacts: config.teams, notes: analysis.business.notes)
            print("anomalies \(p.period.name): \(a.anomalies.count) over \(a.seriesCount) series, \(analysis.allocated.facts.count) facts, \(Int(Date().timeIntervalSince(start) * 1000)) ms")
            all += a.anomalies
        }
        // The S3 request storm of August 4–12, 2025, and the load-test cluster of April 6–20, 2026, with their notes and owners.
        let storm = try #require(all.first { $0.team == "media" && $0.service == "Amazon S3" && $0.firstDay == Day(year: 2025, month: 8, day: 4) })
        #expect(storm.lastDay == Day(year: 2025, month: 8, day: 12))
        #expect(storm.isIncrease && storm.notes.contains { $0.text.hasPrefix("S3 request storm") })
        let cluster = try #require(all.first { $0.team == "data-platform" && $0.service == "Amazon EC2" && $0.firstDay == Day(year: 2026, month: 4, day: 6) })
        #expect(cluster.lastDay == Day(year: 2026, month: 4, day: 20))
        #expect(cluster.notes.map(\.text) == ["A forgotten load-test cluster ran from the 6th to the 20th"])
        // The monthly support fee is posted on each 1st for the whole month: scheduled, not an anomaly.
        #expect(!all.contains { $0.service == "AWS Support (Business)" })
        #expect(all.first { $0.team == "payments" }?.owner == "Ana Silva")
    }
}
