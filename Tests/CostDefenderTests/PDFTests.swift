import Foundation
import Testing
@testable import CostDefender

/// `build --pdf`: each period's report printed to `report.pdf` by headless Chromium through the
/// print stylesheet. The end-to-end test needs Chromium (COSTDEFENDER_CHROMIUM, which `.ci/run`
/// sets) and poppler-utils (`pdfinfo`, `pdftotext`); the others run anywhere, with a stand-in
/// browser script.
@Suite struct PDFTests {
    static let chromium = ProcessInfo.processInfo.environment["COSTDEFENDER_CHROMIUM"]

    @Test(.enabled(if: chromium != nil, "set COSTDEFENDER_CHROMIUM to Chromium's path and install poppler-utils (.ci/run does)"))
    func buildWithPDFPrintsEachPeriodsReport() throws {
        let pdfinfo = try #require(ExternalTool.find("pdfinfo"), "install poppler-utils")
        let pdftotext = try #require(ExternalTool.find("pdftotext"), "install poppler-utils")
        var config = try ConfigurationLoader.load(path: TestFiles.repository + "/Samples/costdefender.yaml")
        config.output = TestFiles.tempDir() + "/Output"
        var pipeline = Pipeline(configuration: config, asOf: Day(iso: "2026-11-15"))
        pipeline.useCache = false
        pipeline.pdfPrinter = PDFPrinter(chromium: Self.chromium!)
        let analysis = try pipeline.build()
        let index = try String(contentsOfFile: config.output + "/index.html", encoding: .utf8)
        var counts: [String] = []
        for figures in analysis.periods {
            let period = figures.period.name
            let folder = config.output + "/" + period
            let pdf = folder + "/report.pdf"
            #expect(index.contains("<a href=\"\(period)/report.pdf\">PDF</a>"))
            let (infoStatus, info) = try ExternalTool.run(pdfinfo, [pdf])
            try #require(infoStatus == 0, "pdfinfo cannot read \(pdf): \(info)")
            let pages = try #require(Self.field("Pages", in: info).flatMap { Int($0) })
            counts.append("\(period): \(pages)")
            // Landscape: "Page size: 792 x 612 pts (letter)".
            let size = (Self.field("Page size", in: info) ?? "").split(separator: " ").compactMap { Double($0) }
            #expect(size.count >= 2 && size[0] > size[1], "\(period): pages are not landscape: \(info)")

            let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
            let sections = Self.headings(in: html)
            #expect(sections.count >= 10, "\(period): \(sections)")
            #expect(pages >= sections.count && pages <= 150, "\(period): \(pages) pages for \(sections.count) sections")

            let (textStatus, text) = try ExternalTool.run(pdftotext, [pdf, "-"])
            try #require(textStatus == 0)
            let pageTexts = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).dropLast().map(String.init)
            #expect(pageTexts.count == pages)
            // Every page: the period in the header and "Page i of n".
            let header = "Cloud cost report — \(period)\(figures.period.isComplete ? "" : " (to date)") · as of 2026-11-15"
            for (i, page) in pageTexts.enumerated() {
                let lines = page.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                #expect(lines.contains(header), "\(period) page \(i + 1) has no header: \(lines.prefix(3))")
                #expect(lines.contains("Page \(i + 1) of \(pages)"), "\(period) page \(i + 1) has no page number: \(lines.prefix(3))")
            }
            // Every section begins a page: its heading is the first line under the header.
            let firstLines = pageTexts.map { page in
                page.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty && $0 != header && !$0.hasPrefix("Page ") }.first ?? ""
            }
            for section in sections.dropFirst() {
                #expect(firstLines.contains(section), "\(period): section “\(section)” does not start a page")
            }
            // The report's own words and figures are in the PDF.
            let flat = text.replacingOccurrences(of: "\n", with: " ")
            #expect(pageTexts.first?.contains("Cloud cost report — \(period)") == true)
            #expect(flat.contains("Fiscal quarter \(period), \(figures.period.days.lowerBound) to \(figures.period.days.upperBound)."))
            #expect(flat.contains(Formatter(currency: "USD").money(figures.bridge.end)), "\(period): the period's cost is not in the PDF")
        }
        print("PDF page counts: \(counts.joined(separator: ", "))")

        // No link into the build machine's folders (site links are printed as text).
        for figures in analysis.periods {
            let bytes = FileManager.default.contents(atPath: config.output + "/\(figures.period.name)/report.pdf") ?? Data()
            #expect(bytes.range(of: Data("file:".utf8)) == nil, "\(figures.period.name): the PDF links local files")
        }
        #expect(!(FileManager.default.enumerator(atPath: config.output)!.compactMap { $0 as? String }.contains { $0.contains(".print-") }),
                "the printed copies are removed")

        // Reproducible: printing the same page again gives the same bytes (the dates are the build date).
        let last = config.output + "/" + analysis.periods.last!.period.name
        let again = TestFiles.tempDir() + "/again.pdf"
        try PDFPrinter(chromium: Self.chromium!).print(html: last + "/report.html", to: again, date: Day(iso: "2026-11-15")!)
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: last + "/report.pdf"))
    }

    @Test func theCIRunsThePDFTest() {
        // CI must not skip the end-to-end print silently.
        if ProcessInfo.processInfo.environment["CI"] == "true" { #expect(Self.chromium != nil) }
    }

    /// A `Key: value` line of pdfinfo's output.
    static func field(_ key: String, in info: String) -> String? {
        info.split(separator: "\n").first { $0.hasPrefix(key + ":") }.map { $0.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    /// The text of each `<h2>` of an HTML page.
    static func headings(in html: String) -> [String] {
        html.components(separatedBy: "<h2").dropFirst().compactMap { part -> String? in
            guard let open = part.firstIndex(of: ">"), let close = part.range(of: "</h2>") else { return nil }
            let inner = part[part.index(after: open)..<close.lowerBound].replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            return inner.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        }
    }

    // MARK: Without a browser

    /// A stand-in for Chromium: a shell script in a folder of its own.
    static func fakeBrowser(_ body: String) -> (folder: String, path: String) {
        let folder = TestFiles.tempDir("fakeBrowser")
        let path = TestFiles.write("#!/bin/sh\n" + body + "\n", to: folder + "/chromium")
        try! FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return (folder, path)
    }

    @Test func aMissingBrowserIsReportedWithHowToInstallIt() throws {
        let empty = TestFiles.tempDir()
        let error = #expect(throws: CostDefenderError.self) { try PDFPrinter.locate(environment: ["PATH": empty]) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("apt-get install chromium"), "\(message)")
        #expect(message.contains("COSTDEFENDER_CHROMIUM"), "\(message)")
        #expect(message.contains("without --pdf"), "\(message)")

        let wrong = #expect(throws: CostDefenderError.self) {
            try PDFPrinter.locate(environment: ["PATH": empty, "COSTDEFENDER_CHROMIUM": empty + "/no-such-browser"])
        }
        #expect(wrong.map { "\($0)" }?.contains("COSTDEFENDER_CHROMIUM is `\(empty)/no-such-browser`, which is not an executable file") == true)

        // Found on PATH, and through the variable (a path or a name on PATH).
        let fake = Self.fakeBrowser("exit 0")
        #expect(try PDFPrinter.locate(environment: ["PATH": empty + ":" + fake.folder]).chromium == fake.path)
        #expect(try PDFPrinter.locate(environment: ["PATH": empty, "COSTDEFENDER_CHROMIUM": fake.path]).chromium == fake.path)
        #expect(try PDFPrinter.locate(environment: ["PATH": fake.folder, "COSTDEFENDER_CHROMIUM": "chromium"]).chromium == fake.path)
    }

    /// The build prints every period from the staging folder, with the browser's own header and
    /// footer off, sets the PDF's dates to the build date, and links the PDFs from the index.
    @Test func theBuildPrintsEveryPeriodBeforeTheSwap() throws {
        let fake = Self.fakeBrowser("""
            for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done
            echo "$@" >> "$(dirname "$0")/calls.log"
            printf '%%PDF-1.4\\n<< /CreationDate (D:20990102030405Z) /ModDate (D:20990102030405Z) >>\\n' > "$out"
            """)
        var config = try ConfigurationLoader.load(path: TestFiles.repository + "/Samples/aws/costdefender.yaml")
        config.output = TestFiles.tempDir() + "/Output"
        var pipeline = Pipeline(configuration: config)
        pipeline.useCache = false
        pipeline.pdfPrinter = PDFPrinter(chromium: fake.path)
        let analysis = try pipeline.build()
        let calls = try String(contentsOfFile: fake.folder + "/calls.log", encoding: .utf8).split(separator: "\n")
        #expect(calls.count == analysis.periods.count)
        let index = try String(contentsOfFile: config.output + "/index.html", encoding: .utf8)
        let c = analysis.asOf.civil
        let stamp = String(format: "D:%04d%02d%02d000000Z", c.year, c.month, c.day)
        for (figures, call) in zip(analysis.periods, calls) {
            let period = figures.period.name
            #expect(call.contains("--headless") && call.contains("--no-pdf-header-footer"))
            #expect(call.contains(".building-"), "printed outside the staging folder: \(call)")
            #expect(call.contains("/\(period)/.print-") && call.hasSuffix("-report.html"), "\(call)")
            let pdf = try String(contentsOfFile: config.output + "/\(period)/report.pdf", encoding: .utf8)
            #expect(pdf == "%PDF-1.4\n<< /CreationDate (\(stamp)) /ModDate (\(stamp)) >>\n")
            #expect(index.contains("<a href=\"\(period)/report.pdf\">PDF</a>"))
        }
    }

    /// A browser that fails stops the build with its message, and the previous pack stays whole.
    @Test func aFailedPrintLeavesThePreviousOutput() throws {
        var config = try ConfigurationLoader.load(path: TestFiles.repository + "/Samples/aws/costdefender.yaml")
        let parent = TestFiles.tempDir()
        config.output = parent + "/Output"
        var pipeline = Pipeline(configuration: config)
        pipeline.useCache = false
        try pipeline.build()
        let before = try Self.snapshot(config.output)
        #expect(!before.keys.contains { $0.hasSuffix(".pdf") })

        pipeline.pdfPrinter = PDFPrinter(chromium: Self.fakeBrowser("echo 'cannot open the display' >&2; exit 3").path)
        let error = #expect(throws: CostDefenderError.self) { try pipeline.build() }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("exit status 3") && message.contains("cannot open the display"), "\(message)")
        #expect(try Self.snapshot(config.output) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.contains(".building-") }.isEmpty)
    }

    static func snapshot(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder)! {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDir), !isDir.boolValue {
                out[path] = FileManager.default.contents(atPath: folder + "/" + path)
            }
        }
        return out
    }

    @Test func linksToOtherFilesArePrintedAsText() {
        let html = ##"<p><a href="bridge-qoq.csv">bridge-qoq.csv</a> <a href="../index.html">all</a> <a href="teams/a%20b.html">a b</a> "##
            + ##"<a href="#summary">up</a> <a href="https://example.com/x">web</a> <a href="mailto:a@b.c">mail</a></p>"##
        #expect(PDFPrinter.printable(html) == ##"<p><a>bridge-qoq.csv</a> <a>all</a> <a>a b</a> "##
                + ##"<a href="#summary">up</a> <a href="https://example.com/x">web</a> <a href="mailto:a@b.c">mail</a></p>"##)
    }

    @Test func thePrintHeaderIsAnInertCSSString() {
        #expect(Escaping.cssString("Cloud cost report — FY2026-Q3 (to date) · as of 2026-11-15")
                == "\"Cloud cost report — FY2026-Q3 (to date) · as of 2026-11-15\"")
        #expect(Escaping.cssString("a\"b\\c</style>x'y\n") == "\"a\\22 b\\5c c\\3c /style\\3e x\\27 y\\a \"")
    }
}
