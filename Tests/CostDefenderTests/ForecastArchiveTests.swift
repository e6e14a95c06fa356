import Foundation
import Testing
@testable import CostDefender

@Suite struct ForecastArchiveTests {
    func row(_ made: String, _ month: String, _ team: String?, _ amount: Int) -> ForecastArchive.Row {
        ForecastArchive.Row(madeOn: Day(iso: made)!, month: Month(iso: month)!, team: team, amount: Amount(whole: amount),
                            low: Amount(whole: amount - 10), high: Amount(whole: amount + 10), model: "drift")
    }

    @Test func roundTripsAndNeverDuplicatesOrRewrites() throws {
        let path = TestFiles.tempDir() + "/history/forecasts.csv"
        var d = Diagnostics()
        var archive = try ForecastArchive.read(path: path, diagnostics: &d)
        #expect(archive.rows.isEmpty)
        let rows = [row("2025-03-31", "2025-04", nil, 100), row("2025-03-31", "2025-04", "=cmd|' /C calc'!A0", 40), row("2025-03-31", "2025-05", "pay", 60)]
        #expect(try archive.append(rows) == 3)
        let first = try String(contentsOfFile: path, encoding: .utf8)
        #expect(first.hasPrefix(ForecastArchive.header + "\n"))
        #expect(first.contains("'=cmd"))   // formula-safe
        let back = try ForecastArchive.read(path: path, diagnostics: &d)
        #expect(back.rows == rows)
        #expect(!d.hasErrors)
        // The same rows again, and a changed amount for an existing key: nothing is written.
        var again = back
        #expect(try again.append(rows + [row("2025-03-31", "2025-04", nil, 999)]) == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == first)
        // A new made-on date is appended after the existing lines, which stay byte for byte.
        #expect(try again.append([row("2025-04-30", "2025-05", nil, 120)]) == 1)
        let after = try String(contentsOfFile: path, encoding: .utf8)
        #expect(after.hasPrefix(first))
        #expect(after.split(separator: "\n").count == 5)
    }
}

@Suite struct AccuracyLedgerTests {
    @Test func scoresAWorkedExample() {
        // Forecasts made one month ahead: 100, 200, 300; actuals 110, 190, 300.
        // Variance: (100−110)/100 = −10 %, (200−190)/200 = +5 %, 0 %. WAPE = 20/600. Bias = (10 − 10 + 0)/600 = 0.
        let months = ["2025-04", "2025-05", "2025-06"].map { Month(iso: $0)! }
        let forecasts = [(100, 90, 105), (200, 180, 220), (300, 290, 310)].enumerated().map { i, f in
            SubmittedForecast(madeOn: months[i].advanced(by: -1).firstDay, month: months[i], team: nil, amount: Amount(whole: f.0),
                              low: Amount(whole: f.1), high: Amount(whole: f.2))
        }
        // An older forecast for April at horizon 1 is superseded by the later one; a horizon-2 one is scored apart.
        let superseded = SubmittedForecast(madeOn: Day(iso: "2025-03-01")!, month: months[0], team: nil, amount: Amount(whole: 50), low: nil, high: nil)
        let twoAhead = SubmittedForecast(madeOn: Day(iso: "2025-02-10")!, month: months[0], team: nil, amount: Amount(whole: 121), low: nil, high: nil)
        let actuals: [String?: [Month: Amount]] = [nil: [months[0]: Amount(whole: 110), months[1]: Amount(whole: 190), months[2]: Amount(whole: 300)]]
        let ledger = AccuracyLedger(finance: forecasts + [superseded, twoAhead], archive: [], actuals: actuals, months: months)
        let one = ledger.score(source: .finance, horizon: 1)
        #expect(one.count == 3)
        #expect(abs(one.wape! - 20.0 / 600) < 1e-12)
        #expect(abs(one.bias!) < 1e-12)
        #expect(one.hitRate == 2.0 / 3)   // 110 is outside 90…105
        #expect(ledger.oneAhead(.finance, months[0])?.variance == -0.1)
        #expect(ledger.oneAhead(.finance, months[1])?.variance == 0.05)
        #expect(AccuracyLedger.stage(-0.1) == "Walk")
        #expect(AccuracyLedger.stage(0.05) == "Run")
        #expect(AccuracyLedger.stage(0.25) == "beyond Crawl")
        let two = ledger.score(source: .finance, horizon: 2)
        #expect(two.count == 1)
        #expect(abs(two.wape! - 11.0 / 110) < 1e-12)
    }
}
