import Testing
@testable import CostDefender

@Suite struct ConfigurationTests {
    @Test func theSavingsMaturityAndForecastKeysAreRead() throws {
        let yaml = """
            volume_drivers: { payments: payments_processed }
            savings: { baseline_days: 20, settling_days: 0, after_days: 10, verified_share: 0.5 }
            maturity: { allocation_run: 0.95, anomaly_delay_run_days: 2 }
            forecast_history: hist/f.csv
            """
        let c = try ConfigurationLoader.parse(yaml, path: "/x/c.yaml")
        #expect(c.volumeDrivers == ["payments": "payments_processed"])
        #expect(c.savings.baselineDays == 20 && c.savings.settlingDays == 0 && c.savings.afterDays == 10 && c.savings.verifiedShare == 0.5)
        #expect(c.maturity.allocationRun == 0.95 && c.maturity.anomalyDelayRunDays == 2 && c.maturity.allocationWalk == 0.70)
        #expect(c.forecastHistoryPath == "/x/hist/f.csv")
    }

    @Test func badValuesAreRefusedWithTheirPlace() {
        for bad in ["savings: { after_days: 0 }", "savings: { verified_share: 2 }", "maturity: { forecast_run: fast }", "maturity: { unknown: 1 }"] {
            #expect(throws: CostDefenderError.self, "\(bad)") { try ConfigurationLoader.parse(bad, path: "/x/c.yaml") }
        }
        do { _ = try ConfigurationLoader.parse("savings:\n  after_days: 0\n", path: "/x/c.yaml") } catch let e as CostDefenderError {
            #expect(e.description.contains("c.yaml:2:"))
        } catch { Issue.record("unexpected \(error)") }
    }
}
