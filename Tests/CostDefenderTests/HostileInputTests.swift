import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import CostDefender

/// The hostile input corpus (`Tests/Corpus/hostile/`, described in docs/hostile-inputs.md): every
/// file replaces one input of a valid base set, and `expectations.tsv` says what must happen.
/// A `clean` case builds a pack whose hostile text is inert in every HTML, Markdown, SVG, CSV and
/// JSON file and whose billed total equals the hand-computed one; an `error` case stops the build
/// with a message naming the file and line (and column when the manifest gives one), and
/// `validate` reports it too. No case may crash the process or change a total silently.
@Suite struct HostileInputTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus/hostile").path

    /// One row of `expectations.tsv`.
    struct Case: Sendable, CustomTestStringConvertible {
        enum Outcome: String, Sendable { case clean, error }
        var file: String
        var replaces: String
        var outcome: Outcome
        /// Error: where the message points (`file:line[:column]`). Clean: an expected warning's location, or nil.
        var location: String?
        /// A phrase of the error (or expected warning) message.
        var phrase: String?
        /// Clean: the billed total of all periods, in the reporting currency.
        var billedTotal: Amount?
        /// Clean: the hostile text (marked `PWN`) is data the pack shows, so it must appear, inert.
        var shown: Bool
        /// A known defect in code another change owns: the case records it as a known issue.
        var openBug: String?
        var testDescription: String { file }
    }

    static let cases: [Case] = {
        let text = (try? String(contentsOfFile: corpus + "/expectations.tsv", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0) }
            func optional(_ i: Int) -> String? { i < f.count && f[i] != "-" && !f[i].isEmpty ? f[i] : nil }
            var total: Amount?
            if let t = optional(5), case .value(let v, _) = Amount.parse(t) { total = v }
            return Case(file: f[0], replaces: f[1], outcome: Case.Outcome(rawValue: f[2]) ?? .error,
                        location: optional(3), phrase: optional(4), billedTotal: total, shown: optional(7) == "yes", openBug: optional(8))
        }
    }()

    /// Files too large to commit, written at run time.
    static let generated: [String: @Sendable (String) -> Void] = [
        // A 10 MB quoted field (commas, doubled quotes and line breaks inside) in a column the
        // reader ignores, between ordinary rows: the reader must carry on, count lines right
        // and sum exactly the rows around it.
        "focus-10mb-field.csv": { path in
            var chunk = "x,\"\"y\"\"\n<script>alert('PWN')</script>\n"
            while chunk.utf8.count < 1 << 16 { chunk += chunk }
            var field = ""
            while field.utf8.count < 10 << 20 { field += chunk }
            let header = "BilledCost,EffectiveCost,ChargePeriodStart,BillingCurrency,ServiceName,Tags,x_Description"
            let text = [header,
                        "1.25,1.25,2025-01-10T00:00:00Z,USD,Amazon EC2,\"{\"\"team\"\": \"\"payments\"\"}\",short",
                        "2.5,2.5,2025-01-11T00:00:00Z,USD,Amazon EC2,NULL,\"\(field)\"",
                        "3,3,2025-01-12T00:00:00Z,USD,Amazon S3,NULL,short"].joined(separator: "\n") + "\n"
            try! text.write(toFile: path, atomically: false, encoding: .utf8)
        },
    ]

    @Test func theCorpusIsCompleteAndEveryFileIsListed() throws {
        #expect(Self.cases.count >= 40)
        let listed = Set(Self.cases.map(\.file))
        #expect(listed.count == Self.cases.count, "a file is listed twice")
        let onDisk = Set(try FileManager.default.contentsOfDirectory(atPath: Self.corpus))
            .subtracting(["base", "expectations.tsv"])
        #expect(onDisk == listed.subtracting(Self.generated.keys), "files on disk and rows of expectations.tsv differ")
        for c in Self.cases {
            #expect(["focus", "ledger", "metrics", "budgets", "forecasts", "fx", "notes", "config"].contains(c.replaces), "\(c.file)")
            switch c.outcome {
            case .clean: #expect(c.billedTotal != nil, "\(c.file): a clean case states its billed total")
            case .error: #expect(c.location != nil && c.phrase != nil, "\(c.file): an error case states where and what")
            }
        }
        // Every input kind is attacked, and both outcomes occur.
        #expect(Set(Self.cases.map(\.replaces)).count == 8)
    }

    @Test(arguments: cases)
    func hostileInput(_ c: Case) throws {
        if let bug = c.openBug {
            withKnownIssue("open defect: \(bug)") { try check(c) }
        } else {
            try check(c)
        }
    }

    func check(_ c: Case) throws {
        let dir = TestFiles.tempDir("hostile-" + c.file)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var input = Self.corpus + "/" + c.file
        if let generate = Self.generated[c.file] {
            input = dir + "/" + c.file
            generate(input)
        }
        // The configuration: the base one with one input replaced, or the hostile config itself.
        var config: Configuration
        do {
            config = try ConfigurationLoader.load(path: c.replaces == "config" ? input : Self.corpus + "/base/costdefender.yaml")
        } catch let e as CostDefenderError {
            #expect(c.outcome == .error, "\(c.file): unexpected config error \(e)")
            if c.outcome == .error { expectReported(e.description, c) }
            return
        }
        switch c.replaces {
        case "focus": config.inputs.focus = [input]
        case "ledger": config.inputs.ledger = input
        case "metrics": config.inputs.metrics = input
        case "budgets": config.inputs.budgets = input
        case "forecasts": config.inputs.forecasts = input
        case "fx": config.inputs.fx = input
        case "notes": config.inputs.notes = input
        default: break
        }
        config.output = dir + "/Output"
        config.forecastHistory = nil
        let pipeline = Pipeline(configuration: config, workingDirectory: Self.corpus)
        switch c.outcome {
        case .error:
            do {
                try pipeline.build()
                Issue.record("\(c.file): the build succeeded; expected an error at \(c.location ?? "?")")
            } catch let e as CostDefenderError {
                expectReported(e.description, c)
            }
            // validate never passes what build rejects, and writes nothing.
            #expect(pipeline.validate().contains { $0.severity == .error }, "\(c.file): validate reports no error")
            #expect(!FileManager.default.fileExists(atPath: dir + "/Output"))
        case .clean:
            let analysis: Pipeline.Analysis
            do { analysis = try pipeline.build() } catch {
                Issue.record("\(c.file): expected a clean pack, got: \(error)"); return
            }
            #expect(analysis.reconciliation.balances)
            if let phrase = c.phrase {
                let shown = analysis.diagnostics.items.map(\.description)
                #expect(shown.contains { Self.mentions($0, c.location) && $0.contains(phrase) }, "\(c.file): no warning \(c.location ?? "") \(phrase) in \(shown)")
            }
            try expectInertPack(dir + "/Output", c)
        }
    }

    /// Some line of an error message names the expected place and says the expected thing.
    func expectReported(_ message: String, _ c: Case) {
        let lines = message.split(separator: "\n").map(String.init)
        #expect(lines.contains { Self.mentions($0, c.location) && $0.contains(c.phrase ?? "") },
                "\(c.file): expected \(c.location ?? "") … \(c.phrase ?? "") in:\n\(message.prefix(2000))")
    }

    /// `location` (`file:line[:column]`) occurs in `text` as a whole location, not as a prefix
    /// of a longer line or column number.
    static func mentions(_ text: String, _ location: String?) -> Bool {
        guard let location else { return true }
        var search = text[...]
        while let r = search.range(of: location) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            if (before == nil || before == " " || before == "/") && !(after?.isNumber ?? false) { return true }
            search = text[r.upperBound...]
        }
        return false
    }

    // MARK: - The pack is inert

    func expectInertPack(_ output: String, _ c: Case) throws {
        let files = (FileManager.default.enumerator(atPath: output)?.allObjects as? [String] ?? []).sorted()
        #expect(files.contains("index.html"))
        var billed = Amount.zero
        var markerShown = false
        for file in files {
            let path = output + "/" + file
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                if !file.contains(".") { continue }   // a folder
                Issue.record("\(c.file): \(file) is not UTF-8"); continue
            }
            let at = "\(c.file) → \(file)"
            if file.hasSuffix(".html") {
                expectInertHTML(text, at)
                markerShown = markerShown || text.contains("PWN")
            } else if file.hasSuffix(".md") {
                expectInertMarkdown(text, at)
            } else if file.hasSuffix(".svg") {
                expectInertSVG(data, at)
            } else if file.hasSuffix(".csv") {
                try expectInertCSV(path, at)
            } else if file.hasSuffix(".json") {
                #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(at): not valid JSON")
                #expect(!text.contains("<"), "\(at): raw < in JSON")
                if file.hasSuffix("/summary.json"), let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
                    #expect(o["reconciles"] as? Bool == true, "\(at)")
                    let number = text.split(separator: "\n").first { $0.contains("\"billed_cost\":") }
                        .map { $0.split(separator: ":")[1].trimmingCharacters(in: CharacterSet(charactersIn: " ,")) } ?? ""
                    guard case .value(let v, _) = Amount.parse(number) else { Issue.record("\(at): billed_cost `\(number)`"); continue }
                    billed += v
                }
            }
        }
        #expect(billed == c.billedTotal, "\(c.file): billed total \(billed.exactDescription), expected \(c.billedTotal?.exactDescription ?? "-")")
        if c.shown { #expect(markerShown, "\(c.file): the hostile text is not shown anywhere (it should appear, inert)") }
    }

    /// Elements the templates, cmark-gfm and the chart code write; anything else came from data.
    static let htmlElements: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "header", "main", "span", "div", "h1", "h2", "h3", "h4", "p", "ul", "ol", "li",
        "table", "thead", "tbody", "tr", "th", "td", "a", "strong", "em", "code", "hr", "br", "del",
        "svg", "defs", "pattern", "g", "rect", "line", "text", "tspan", "path", "polyline", "polygon", "circle", "desc",
    ]

    /// Every tag is one the pack writes, no attribute is an event handler, every link is a
    /// relative path inside the pack, no comment (cmark's trace of dropped raw HTML) and one `h1`.
    func expectInertHTML(_ html: String, _ at: String) {
        let bytes = Array(html.utf8)
        var i = 0
        var h1 = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else { Issue.record("\(at): unclosed <"); return }
            let tag = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
            i = close + 1
            if tag.hasPrefix("!DOCTYPE") { continue }
            if tag.hasPrefix("!") { Issue.record("\(at): comment or declaration <\(tag.prefix(60))>"); continue }
            let body = tag.hasPrefix("/") ? String(tag.dropFirst()) : tag
            let name = String(body.prefix { $0.isLetter || $0.isNumber }).lowercased()
            if !Self.htmlElements.contains(name) { Issue.record("\(at): element <\(tag.prefix(80))>") }
            if name == "h1" && !tag.hasPrefix("/") { h1 += 1 }
            for (attribute, value) in Self.attributes(body.dropFirst(name.count)) {
                #expect(!attribute.hasPrefix("on"), "\(at): event handler \(attribute)= in <\(tag.prefix(80))>")
                if ["href", "src", "xlink:href", "action", "formaction"].contains(attribute) {
                    #expect(Self.isPackPath(value), "\(at): \(attribute)=\"\(value)\" leaves the pack")
                }
                if attribute == "style" { #expect(!value.contains("url(") && !value.contains("expression"), "\(at): style \(value)") }
            }
        }
        #expect(h1 == 1, "\(at): \(h1) h1 headings (a heading was injected?)")
    }

    /// Attribute name → value pairs of a tag's text after its name.
    static func attributes(_ s: Substring) -> [(String, String)] {
        var out: [(String, String)] = []
        var rest = s
        while true {
            rest = rest.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "/" }
            let name = rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != ">" && $0 != "/" }
            if name.isEmpty { return out }
            rest = rest.dropFirst(name.count)
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst()
                if let q = rest.first, q == "\"" || q == "'" {
                    rest = rest.dropFirst()
                    value = String(rest.prefix { $0 != q })
                    rest = rest.dropFirst(value.count + 1)
                } else {
                    value = String(rest.prefix { !$0.isWhitespace })
                    rest = rest.dropFirst(value.count)
                }
            }
            out.append((name.lowercased(), value))
        }
    }

    /// A relative path to a file of the pack: no scheme, no host, no query.
    static func isPackPath(_ s: String) -> Bool {
        !s.isEmpty && !s.hasPrefix("/") && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./#".contains($0)) }
    }

    /// No raw HTML, no link or image whose target is not a pack file, no link reference
    /// definition, and every table row has as many cells as its header.
    func expectInertMarkdown(_ md: String, _ at: String) {
        let chars = Array(md)
        func escaped(_ i: Int) -> Bool {
            var n = 0
            var j = i - 1
            while j >= 0 && chars[j] == "\\" { n += 1; j -= 1 }
            return n % 2 == 1
        }
        for (i, ch) in chars.enumerated() where !escaped(i) {
            if ch == "<", i + 1 < chars.count, chars[i + 1].isLetter || chars[i + 1] == "/" || chars[i + 1] == "!" {
                Issue.record("\(at): raw HTML or autolink: \(String(chars[i..<min(i + 60, chars.count)]))")
            }
            if ch == "]", i + 1 < chars.count, chars[i + 1] == "(" {
                let target = String(chars[(i + 2)...].prefix { $0 != ")" })
                #expect(Self.isPackPath(target), "\(at): link or image to `\(target)`")
            }
        }
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false)
        var headerCells: Int?
        for line in lines {
            #expect(line.range(of: #"^ {0,3}\[[^\]]*\]:"#, options: .regularExpression) == nil, "\(at): link reference definition \(line.prefix(80))")
            guard line.hasPrefix("|") else { headerCells = nil; continue }
            let cells = Self.unescapedPipes(line) - 1
            if let h = headerCells { #expect(cells == h, "\(at): table row with \(cells) cells under a \(h)-cell header: \(line.prefix(120))") }
            else { headerCells = cells }
        }
    }

    static func unescapedPipes(_ line: Substring) -> Int {
        var n = 0
        var backslashes = 0
        for ch in line {
            if ch == "|" && backslashes % 2 == 0 { n += 1 }
            backslashes = ch == "\\" ? backslashes + 1 : 0
        }
        return n
    }

    /// Well-formed XML with only the chart elements, no handlers, no outside links.
    func expectInertSVG(_ data: Data, _ at: String) {
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String] = []
            var attributes: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String]) {
                elements.append(name)
                attributes += a.map { "\($0.key.lowercased())=\($0.value)" }
            }
        }
        let parser = XMLParser(data: data)
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "\(at): not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        for e in Set(collector.elements) where !Self.htmlElements.contains(e.lowercased()) { Issue.record("\(at): element <\(e)>") }
        for a in collector.attributes {
            #expect(!a.hasPrefix("on") && !a.hasPrefix("href=") && !a.hasPrefix("xlink:href="), "\(at): attribute \(a.prefix(80))")
        }
    }

    /// Every record has the header's field count; no text cell starts a formula.
    func expectInertCSV(_ path: String, _ at: String) throws {
        let reader = CSVReader(source: try ByteSources.open(path))
        var width: Int?
        try reader.forEachRecord { record in
            let fields = record.strings
            if let w = width { #expect(fields.count == w, "\(at):\(record.line): \(fields.count) fields, header has \(w)") } else { width = fields.count }
            for cell in fields {
                guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { continue }
                #expect(cell.range(of: #"^-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?$"#, options: .regularExpression) != nil,
                        "\(at):\(record.line): a cell a spreadsheet would run as a formula: \(cell.prefix(60))")
            }
        }
    }
}

/// A value that starts a line (as a metric name starts a sentence of the summary) stays one
/// paragraph of plain text: no heading, list, quote or setext underline.
@Suite struct MarkdownLineStartTests {
    @Test(arguments: ["# PWN heading", "## PWN", "1. PWN list", "12) PWN", "- PWN item", "+ PWN", "> PWN quote", "=== PWN", "PWN\n===", "PWN\n---",
                      "* PWN", "| a | PWN |", "```PWN", "~~~PWN", "<div>PWN</div>", "[PWN]: https://evil.example"])
    func aValueAtALineStartIsOneParagraph(_ value: String) {
        let html = MarkdownRenderer.html("Before.\n\n" + Escaping.markdown(value) + " grew 5%.\n")
        let paragraphs = html.components(separatedBy: "<p>").count - 1
        #expect(paragraphs == 2, "\(html)")
        for tag in ["<h", "<li", "<ol", "<ul", "<blockquote", "<pre", "<table", "<div", "<hr"] { #expect(!html.contains(tag), "\(tag) in \(html)") }
        #expect(html.contains("PWN"))
    }

    @Test func ordinaryValuesAreUnchanged() {
        for v in ["Transactions", "-$12.00", "+$15.00", "1.5", "2025-01", "web-frontend", "12.5%", "#", "-", "=HYPERLINK"] { #expect(Escaping.markdown(v) == v) }
    }
}
