import Foundation
import Testing
@testable import CostDefender

@Suite struct ForecastPipelineTests {
    static let header = "BilledCost,EffectiveCost,ListCost,ChargePeriodStart,BillingCurrency,ProviderName,ServiceName,ChargeCategory,ChargeFrequency,Tags"

    /// `perDay` dollars every day from `from` through `through`, for team pay; a recurring 50 on
    /// each month's first day.
    static func rows(from: Day, through: Day, perDay: Int, recurring: Bool = true) -> [String] {
        var out: [String] = []
        var d = from
        while d <= through {
            out.append("\(perDay),\(perDay),\(perDay),\(d)T00:00:00Z,USD,AWS,EC2,Usage,Usage-Based,\"{\"\"team\"\": \"\"pay\"\"}\"")
            if recurring && d.civil.day == 1 { out.append("50,50,50,\(d)T00:00:00Z,USD,AWS,Support,Purchase,Recurring,\"{\"\"team\"\": \"\"pay\"\"}\"") }
            d = d.advanced(by: 1)
        }
        return out
    }

    func config(_ dir: String, _ rows: [String]) -> Configuration {
        var c = Configuration()
        c.inputs.focus = [TestFiles.write(([Self.header] + rows).joined(separator: "\n"), to: dir + "/f.csv")]
        c.allocation.teamTags = ["team"]
        c.output = dir + "/Output"
        return c
    }

    @Test func theMonthInProgressIsMonthToDatePlusTheRecentRateAndRecurringCharges() throws {
        let dir = TestFiles.tempDir()
        // $10 a day since January; the build is as of 2025-04-15 (data through the 15th).
        let c = config(dir, Self.rows(from: Day(iso: "2025-01-01")!, through: Day(iso: "2025-04-15")!, perDay: 10))
        let analysis = try Pipeline(configuration: c, asOf: Day(iso: "2025-04-15")).analyse()
        let e = try #require(analysis.periods.last?.forecast?.currentMonth)
        // Settled through the 13th (two days left out): 13 × 10 + the 50 recurring charge of April 1st.
        #expect(e.settledThrough == Day(iso: "2025-04-13")!)
        #expect(e.settled == Amount(whole: 180))
        // The other 17 days at $10 a day; April's recurring charge already posted.
        #expect(e.remaining == Amount(whole: 170))
        #expect(e.recurringToCome == .zero)
        #expect(e.estimate == Amount(whole: 350))
        let april = try #require(analysis.periods.last?.forecast?.total.months.first)
        #expect(april.isMonthToDate)
        #expect(april.point == Amount(whole: 350))
        #expect(april.low <= april.point && april.point <= april.high)
    }

    @Test func recurringChargesNotYetPostedAreAdded() throws {
        let dir = TestFiles.tempDir()
        var rows = Self.rows(from: Day(iso: "2025-01-01")!, through: Day(iso: "2025-03-31")!, perDay: 10)
        rows += Self.rows(from: Day(iso: "2025-04-01")!, through: Day(iso: "2025-04-15")!, perDay: 10, recurring: false)
        let analysis = try Pipeline(configuration: config(dir, rows), asOf: Day(iso: "2025-04-15")).analyse()
        let e = try #require(analysis.periods.last?.forecast?.currentMonth)
        #expect(e.recurringToCome == Amount(whole: 50))
        #expect(e.estimate == Amount(whole: 130 + 170 + 50))
    }

    @Test func buildsRememberTheirForecastsAndLaterBuildsScoreThem() throws {
        let dir = TestFiles.tempDir()
        let c = config(dir, Self.rows(from: Day(iso: "2024-01-01")!, through: Day(iso: "2025-06-30")!, perDay: 10))
        let history = c.forecastHistoryPath
        try Pipeline(configuration: c, asOf: Day(iso: "2025-03-31")).build()
        let first = try String(contentsOfFile: history, encoding: .utf8)
        #expect(first.contains("2025-03-31,2025-04,*,"))
        // The same as-of date again: nothing added, nothing rewritten.
        try Pipeline(configuration: c, asOf: Day(iso: "2025-03-31")).build()
        #expect(try String(contentsOfFile: history, encoding: .utf8) == first)
        // Three months later, April–June have actuals: the archived forecasts are scored.
        let later = try Pipeline(configuration: c, asOf: Day(iso: "2025-06-30")).build()
        let ledger = try #require(later.periods.last?.forecast?.ledger)
        let own = ledger.score(source: .costdefender, horizon: 1)
        #expect(own.count >= 2)   // organisation and pay, April
        let april = try #require(ledger.oneAhead(.costdefender, Month(iso: "2025-04")!))
        #expect(april.actual == Amount(whole: 300 + 50))
        #expect(try String(contentsOfFile: history, encoding: .utf8).hasPrefix(first))
        let md = try String(contentsOfFile: c.output + "/FY2025-Q2/report.md", encoding: .utf8)
        #expect(md.contains("## Forecast"))
        #expect(md.contains("CostDefender"))
    }
}
