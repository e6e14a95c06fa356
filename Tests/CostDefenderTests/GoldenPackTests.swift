import Foundation
import Testing
@testable import CostDefender

/// The sample pack, whole: every period's `report.md` and `summary.json`, one `report.html`
/// and `index.html` must equal the files in `Golden/`. After an intended change, regenerate
/// them with `COSTDEFENDER_UPDATE_GOLDEN=1 swift test --filter GoldenPackTests` and review the diff.
@Suite struct GoldenPackTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    static let asOf = Day(year: 2026, month: 11, day: 15)

    @Test func theSamplePackMatchesTheGoldenFiles() throws {
        var config = try ConfigurationLoader.load(path: TestFiles.repository + "/Samples/costdefender.yaml")
        let out = TestFiles.tempDir() + "/Output"
        config.output = out
        let analysis = try Pipeline(configuration: config, asOf: Self.asOf).build()
        #expect(analysis.periods.count >= 6)
        #expect(analysis.reconciliation.balances)
        #expect(analysis.reconciliation.rowsRejected == 0)
        let lastComplete = analysis.periods.last { $0.period.isComplete }!.period.name
        var compared = ["index.html", "\(lastComplete)/report.html", "\(lastComplete)/bridges.json",
                        "\(lastComplete)/teams/payments.md", "\(lastComplete)/teams/payments.html"]
        for p in analysis.periods { compared += ["\(p.period.name)/report.md", "\(p.period.name)/summary.json"] }
        let update = ProcessInfo.processInfo.environment["COSTDEFENDER_UPDATE_GOLDEN"] == "1"
        for file in compared {
            let actual = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            let goldenPath = Self.golden + "/" + file
            if update {
                try FileManager.default.createDirectory(atPath: (goldenPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try actual.write(toFile: goldenPath, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try? String(contentsOfFile: goldenPath, encoding: .utf8)
            #expect(expected != nil, "missing golden file \(file); run with COSTDEFENDER_UPDATE_GOLDEN=1")
            if let expected, expected != actual {
                let a = actual.split(separator: "\n", omittingEmptySubsequences: false), e = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
                Issue.record("\(file) differs from its golden file at line \(line + 1): got \(line < a.count ? String(a[line]) : "<end>") expected \(line < e.count ? String(e[line]) : "<end>"); actual pack in \(out)")
            }
        }
    }

    @Test func theRealAWSSampleBuildsOnItsOwn() throws {
        var config = try ConfigurationLoader.load(path: TestFiles.repository + "/Samples/aws/costdefender.yaml")
        config.output = TestFiles.tempDir() + "/Output"
        let analysis = try Pipeline(configuration: config).build()
        #expect(analysis.periods.map(\.period.name) == ["FY2024-Q3"])
        #expect(analysis.periods[0].spend.total.billed.exactDescription == "18.0066386184")
        #expect(analysis.periods[0].bridge.end.exactDescription == "18.0066386184")   // billed basis
        let summary = try String(contentsOfFile: config.output + "/FY2024-Q3/summary.json", encoding: .utf8)
        #expect(summary.contains("\"billed_cost\": 18.0066386184,"))
        #expect(summary.contains("\"list_cost\": 18.1493176406,"))
    }
}
