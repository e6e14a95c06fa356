import Foundation
import Testing
@testable import CostDefender

/// End-to-end: inputs on disk → `Pipeline.build()` → files in a temporary output folder.
@Suite struct PipelineTests {
    static let hostile = [
        "<script>alert(1)</script>", "a|b|c", "[x](javascript:alert(1))", "=HYPERLINK(\"http://x\")",
        "**bold** _it_ `code` <img src=x onerror=alert(1)>", "line\nbreak", "&amp; &#60;",
    ]

    func configuration(_ dir: String, focus: [String], notes: String? = nil) -> Configuration {
        var c = Configuration()
        c.inputs.focus = focus
        c.inputs.notes = notes
        c.output = dir + "/Output"
        c.allocation.teamTags = ["team"]
        return c
    }

    func hostileFOCUS(_ dir: String) -> String {
        var rows = [TestFiles.focusHeader]
        for (i, h) in Self.hostile.enumerated() {
            let quoted = h.replacingOccurrences(of: "\"", with: "\"\"")
            let tagJSON = "{\"team\": \"\(h.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n"))\"}"
            rows.append(TestFiles.focusRow(billed: "\(i + 1)", account: quoted, service: quoted, resource: quoted,
                                           tags: "\"" + tagJSON.replacingOccurrences(of: "\"", with: "\"\"") + "\""))
            rows.append(TestFiles.focusRow(billed: "0.5", day: "2024-12-15T00:00:00Z", service: quoted, resource: quoted))
        }
        return TestFiles.write(rows.joined(separator: "\n"), to: dir + "/focus.csv")
    }

    @Test func hostileTextIsInertInMarkdownHTMLAndCSV() throws {
        let dir = TestFiles.tempDir()
        let focus = hostileFOCUS(dir)
        let notes = "date,scope,text\n" + Self.hostile.map { "2025-01-15,*,\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: "\n")
        let notesFile = TestFiles.write(notes, to: dir + "/notes.csv")
        try Pipeline(configuration: configuration(dir, focus: [focus], notes: notesFile)).build()
        let folder = dir + "/Output/FY2025-Q1"
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        let md = try String(contentsOfFile: folder + "/report.md", encoding: .utf8)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("<img src=x"))
        #expect(!html.contains("href=\"javascript"))
        #expect(!html.contains("<strong>bold</strong>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(md.contains("\\<script\\>alert(1)\\</script\\>"))
        #expect(md.contains("a\\|b\\|c"))
        #expect(md.contains("\\[x\\](javascript:alert(1))"))
        // Notes are data too: shown in the summary, escaped.
        #expect(md.contains("Note (2025-01-15): \\<script\\>alert(1)\\</script\\>"))
        // Every Markdown table row still has as many cells as its header.
        for line in md.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect(cells >= 2)
        }
        let csv = try String(contentsOfFile: folder + "/cost-by-service.csv", encoding: .utf8)
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(!csv.contains(",=HYPERLINK"))
        let json = try String(contentsOfFile: folder + "/cost-by-service.json", encoding: .utf8)
        #expect(!json.contains("<script"))
        // The totals are still right: 1 + … + 7 = 28 in Q1 FY2025 (January 2025).
        let summary = try String(contentsOfFile: folder + "/summary.json", encoding: .utf8)
        #expect(summary.contains("\"billed_cost\": 28,"))
    }

    @Test func aFailedBuildLeavesThePreviousOutputUntouched() throws {
        let dir = TestFiles.tempDir()
        let good = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "1")].joined(separator: "\n"), to: dir + "/good.csv")
        try Pipeline(configuration: configuration(dir, focus: [good])).build()
        let before = try String(contentsOfFile: dir + "/Output/FY2025-Q1/report.md", encoding: .utf8)
        let bad = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "x")].joined(separator: "\n"), to: dir + "/bad.csv")
        #expect(throws: CostDefenderError.self) { try Pipeline(configuration: configuration(dir, focus: [bad])).build() }
        do {
            try Pipeline(configuration: configuration(dir, focus: [bad])).build()
        } catch let e as CostDefenderError {
            #expect(e.description.contains("bad.csv:2:1 (BilledCost)"))
        }
        #expect(try String(contentsOfFile: dir + "/Output/FY2025-Q1/report.md", encoding: .utf8) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".building-") || $0.contains(".previous-") }
        #expect(leftovers.isEmpty)
    }

    @Test func rejectedRowsWithinTheToleranceAreShownNotHidden() throws {
        let dir = TestFiles.tempDir()
        let f = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "1"), TestFiles.focusRow(billed: "2", day: "nope")].joined(separator: "\n"), to: dir + "/f.csv")
        var c = configuration(dir, focus: [f])
        c.thresholds.maxRejectedRows = 1
        let analysis = try Pipeline(configuration: c).build()
        #expect(analysis.reconciliation.rowsRejected == 1)
        #expect(analysis.reconciliation.rejectedBilled == Amount(whole: 2))
        let md = try String(contentsOfFile: dir + "/Output/FY2025-Q1/report.md", encoding: .utf8)
        #expect(md.contains("Rows rejected: 1"))
        #expect(md.contains("f.csv:3:5 (ChargePeriodStart)"))
    }

    @Test func validateListsEveryProblem() throws {
        let dir = TestFiles.tempDir()
        let f = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "x"), TestFiles.focusRow(billed: "1"), TestFiles.focusRow(billed: "y")].joined(separator: "\n"), to: dir + "/f.csv")
        let ledger = TestFiles.write("id,title,team,status,identified_on,committed_monthly,scope\nA,t,x,implemented,2025-01-01,10,service=EC2\nA,t,x,done,2025-13-01,ten,bogus\n", to: dir + "/ledger.csv")
        var c = configuration(dir, focus: [f])
        c.inputs.ledger = ledger
        let problems = Pipeline(configuration: c).validate().filter { $0.severity == .error }
        let lines = problems.map { "\(($0.location.file as NSString).lastPathComponent):\($0.location.line ?? 0)" }
        #expect(lines.contains("f.csv:2"))
        #expect(lines.contains("f.csv:4"))
        #expect(lines.contains("ledger.csv:2"))   // implemented without implemented_on
        #expect(lines.filter { $0 == "ledger.csv:3" }.count >= 2)   // bad date and bad amount
        #expect(!FileManager.default.fileExists(atPath: dir + "/Output"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/Output.cache"))
    }

    @Test func twoBuildsOfTheSameInputsAreByteIdentical() throws {
        let dir = TestFiles.tempDir()
        let focus = hostileFOCUS(dir)
        var c = configuration(dir, focus: [focus])
        try Pipeline(configuration: c).build()
        c.output = dir + "/Again"
        try Pipeline(configuration: c).build()
        let files = FileManager.default.enumerator(atPath: dir + "/Output")!.allObjects as! [String]
        #expect(files.count > 10)
        for file in files {
            let a = FileManager.default.contents(atPath: dir + "/Output/" + file)
            let b = FileManager.default.contents(atPath: dir + "/Again/" + file)
            #expect(a == b, "\(file) differs")
        }
    }

    @Test func severalCurrenciesNeedRates() throws {
        let dir = TestFiles.tempDir()
        let f = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "10"),
                                 TestFiles.focusRow(billed: "10").replacingOccurrences(of: ",USD,", with: ",EUR,")].joined(separator: "\n"), to: dir + "/f.csv")
        var c = configuration(dir, focus: [f])
        #expect(throws: CostDefenderError.self) { try Pipeline(configuration: c).build() }
        c.inputs.fx = TestFiles.write("period,currency,rate\n2025-01,EUR,1.1\n", to: dir + "/fx.csv")
        let analysis = try Pipeline(configuration: c).build()
        #expect(analysis.periods[0].spend.total.billed == Amount(whole: 21))
    }

    @Test func aTemplateFolderOverridesBuiltInTemplatesOneByOne() throws {
        let dir = TestFiles.tempDir()
        let good = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "1")].joined(separator: "\n"), to: dir + "/good.csv")
        TestFiles.write("{{% CONTENT_TYPE: MARKDOWN}}\n## Our summary\n\nPeriod {{period}} for {{sentences}}.\n", to: dir + "/mine/section-summary.mustache")
        var c = configuration(dir, focus: [good])
        c.templates = dir + "/mine"
        try Pipeline(configuration: c).build()
        let md = try String(contentsOfFile: dir + "/Output/FY2025-Q1/report.md", encoding: .utf8)
        #expect(md.contains("## Our summary"))
        #expect(!md.contains("## Summary"))
        #expect(md.contains("## Cost by team"))   // the other built-in templates stay
        c.templates = dir + "/missing"
        #expect(throws: CostDefenderError.self) { try Pipeline(configuration: c).build() }
    }

    @Test func configErrorsNameTheLine() throws {
        let yaml = "currency: USD\nfiscal_year_start_month: 13\n"
        #expect(throws: CostDefenderError.self) { try ConfigurationLoader.parse(yaml, path: "/x/c.yaml") }
        do { _ = try ConfigurationLoader.parse("currency: USD\ncurrencyy: EUR\n", path: "/x/c.yaml") } catch let e as CostDefenderError {
            #expect(e.description.contains("c.yaml:2:1"))
            #expect(e.description.contains("unknown key `currencyy`"))
        }
        let ok = try ConfigurationLoader.parse("""
            inputs: { focus: data/ }
            allocation:
              rules:
                - when: { service: AWS Support, tag: env=prod|staging }
                  pool: shared
              pools:
                - { name: shared, split: fixed, weights: { a: 0.25, b: 0.75 } }
            """, path: "/x/c.yaml")
        #expect(ok.inputs.focus == ["/x/data"])
        #expect(ok.allocation.rules[0].conditions.contains(RuleCondition(field: .tag("env"), values: ["prod", "staging"])))
        #expect(ok.allocation.pools[0].split == .fixed(["a": 0.25, "b": 0.75]))
    }
}
