import Foundation
import Testing
@testable import CostDefender

/// Every page of the sample pack opened in headless Chromium by `Tests/Browser/check_site.py`
/// (Playwright from PyPI driving Debian's `chromium`): no console errors, no broken links or
/// images, every chart visible with a text alternative, no page wider than a 1280 px or 800 px
/// window, nothing wider than the printed page, WCAG AA contrast of every text. Screenshots of
/// each report's first screen land in `test-artifacts/screenshots/` for a person to look at.
/// `.ci/run` installs the tools; locally set COSTDEFENDER_BROWSER_PYTHON to a Python with
/// Playwright and COSTDEFENDER_CHROMIUM to the browser (default /usr/bin/chromium).
@Suite struct BrowserTests {
    static let python = ProcessInfo.processInfo.environment["COSTDEFENDER_BROWSER_PYTHON"]
    static let script = TestFiles.repository + "/Tests/Browser/check_site.py"
    static let screenshots = TestFiles.repository + "/test-artifacts/screenshots"

    /// Runs the checker over `root`; returns its exit status, its output and its JSON report.
    static func check(root: String, screenshots: String) throws -> (status: Int32, output: String, report: [String: Any]) {
        let report = TestFiles.tempDir() + "/browser-check.json"
        let (status, output) = try ExternalTool.run(python!, [script, "--root", root, "--screenshots", screenshots, "--report", report])
        let data = FileManager.default.contents(atPath: report) ?? Data()
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (status, output, json)
    }

    @Test(.enabled(if: python != nil, "set COSTDEFENDER_BROWSER_PYTHON to a Python with Playwright (.ci/run does)"))
    func everyPageOfTheSamplePackPassesTheBrowserChecks() throws {
        var config = try ConfigurationLoader.load(path: TestFiles.repository + "/Samples/costdefender.yaml")
        config.output = TestFiles.tempDir() + "/Output"
        var pipeline = Pipeline(configuration: config, asOf: Day(iso: "2026-11-15"))
        pipeline.useCache = false
        let analysis = try pipeline.build()
        try? FileManager.default.removeItem(atPath: Self.screenshots)

        let (status, output, report) = try Self.check(root: config.output, screenshots: Self.screenshots)
        print(output)
        #expect(status == 0, "the browser checks failed:\n\(output.suffix(6000))")

        // It looked at everything: each page, each chart, a screenshot per report and width.
        let pages = FileManager.default.enumerator(atPath: config.output)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".html") }
        let stats = report["stats"] as? [String: Any] ?? [:]
        #expect(stats["pages"] as? Int == pages.count)
        #expect(stats["printed"] as? Int == pages.count)
        #expect((stats["charts"] as? Int ?? 0) >= analysis.periods.count * 3, "every report has its bridge charts")
        #expect((stats["text_samples"] as? Int ?? 0) > 10_000)
        let shots = stats["screenshots"] as? [String] ?? []
        #expect(shots.count == analysis.periods.count * 2)
        for shot in shots {
            let head = FileManager.default.contents(atPath: shot)?.prefix(8)
            #expect(head == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(shot) is not a PNG")
        }
        print("Screenshots of each report's first screen at 1280 px and 800 px: \(Self.screenshots)")
    }

    /// The checker finds each kind of fault it claims to find, on a small site made broken on purpose.
    @Test(.enabled(if: python != nil, "set COSTDEFENDER_BROWSER_PYTHON to a Python with Playwright (.ci/run does)"))
    func theCheckerFindsPlantedFaults() throws {
        let root = TestFiles.tempDir() + "/site"
        TestFiles.write("""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
            <h1 id="top">Planted faults</h1>
            <p><a href="page.html#here">fine</a> <a href="#top">fine</a> <a href="missing.html">missing file</a> <a href="page.html#nowhere">missing anchor</a></p>
            <p style="color:#aaaaaa">grey on white</p>
            <p style="color:#767676">#767676 on white passes at 4.54:1</p>
            <svg width="300" height="100"><rect width="300" height="100" fill="#eeeeee"/></svg>
            <svg role="img" aria-label="a labelled chart" width="300" height="100"><rect width="300" height="100" fill="#1f3b57"/><text x="20" y="50" fill="#404040">dark on dark</text></svg>
            <table><tr><td style="white-space:nowrap">\(String(repeating: "wide ", count: 400))</td></tr></table>
            <img src="missing.png" alt="a missing picture">
            <script>console.error("planted console error")</script>
            </body></html>
            """, to: root + "/index.html")
        TestFiles.write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>p</title></head><body><h1 id=\"here\">Here</h1></body></html>",
                        to: root + "/page.html")
        let (status, output, report) = try Self.check(root: root, screenshots: TestFiles.tempDir() + "/shots")
        #expect(status == 1, "the checker passed a broken site:\n\(output)")
        let failures = report["failures"] as? [[String: Any]] ?? []
        func found(_ check: String, _ detail: String) -> Bool {
            failures.contains { ($0["check"] as? String) == check && "\($0["what"] ?? "") \($0["detail"] ?? "")".contains(detail) }
        }
        #expect(found("console", "planted console error"), "\(output)")
        #expect(found("link", "missing.html does not exist"), "\(output)")
        #expect(found("link", "no id 'nowhere' in page.html"), "\(output)")
        #expect(found("image", "missing.png"), "\(output)")
        #expect(found("contrast", "#aaaaaa on #ffffff"), "\(output)")
        #expect(found("contrast", "dark on dark"), "\(output)")
        #expect(found("chart", "no text alternative"), "\(output)")
        #expect(found("width", "scrolls sideways"), "\(output)")
        #expect(found("print", "printed page"), "\(output)")
        // …and nothing that is fine.
        #expect(!found("link", "'page.html#here'") && !found("link", "'#top'"), "\(output)")
        #expect(!found("contrast", "767676"), "\(output)")
        #expect(!found("chart", "a labelled chart"), "\(output)")
    }

    @Test func theCIRunsTheBrowserCheck() {
        // CI must not skip the check silently.
        if ProcessInfo.processInfo.environment["CI"] == "true" { #expect(Self.python != nil) }
    }
}

/// Runs an external program and returns its exit status and its standard output and error.
enum ExternalTool {
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let environment { p.environment = environment }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, output)
    }

    /// `name` on PATH, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
