import Testing
@testable import CostDefender

/// The renderer writes escaped text, money, CSV and JSON byte by byte for speed. Each fast path
/// must give exactly what the plain definition gives; the definitions are kept here as oracles
/// (the code the fast paths replaced) and compared over hostile values.
@Suite struct RenderFastPathTests {
    /// Pieces that exercise every escaping rule: markup, controls, line breaks, U+2028/9 and other
    /// three-byte characters that start with E2, block markers, formula leads, quotes, spaces.
    static let pieces = ["a", "Zz", " ", "  ", ",", "\"", "'", "\\", "`", "*", "_", "[", "]", "<", ">", "&", "|", "~", "!", "#", "-", "+", "=", "@",
                         "1", "12", "123456789", ".", ")", "\n", "\r", "\r\n", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}",
                         "\u{2212}", "\u{2026}", "\u{2014}", "é", "e\u{301}", "👩‍💻", "\u{FEFF}", "\u{FFFE}", "日本", "\u{E2}", "{{x}}"]

    static func hostileStrings(count: Int = 3000) -> [String] {
        var rng = SplitMix64(state: 20_260_101)
        var out = ["", " ", "# PWN", "###### x", "####### x", "1. x", "12) x", "1234567890. x", "- x", "+ x", "-", "+", "=SUM(A1)", "@x", "\tx", "\rx",
                   "x ", " x", "a,b", "say \"hi\"", "line\nbreak", "\u{2028}", "€\u{2029}", "0.6745 × (actual − median) ÷ MAD"]
        for _ in 0..<count {
            let n = Int(rng.next() % 12)
            out.append((0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined())
        }
        return out
    }

    // MARK: Oracles (the plain definitions)

    static func markdownOracle(_ s: String) -> String {
        var copy = s
        let marker = copy.withUTF8 { Escaping.blockMarker($0) }
        var out = ""
        for (i, ch) in s.unicodeScalars.enumerated() {
            if i == marker { out.append("\\") }
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "&", "|", "~", "!":
                out.append("\\"); out.unicodeScalars.append(ch)
            case "\n", "\r", "\t", "\u{2028}", "\u{2029}":
                out.append(" ")
            default:
                if ch.value < 0x20 || ch.value == 0x7F { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func csvFieldOracle(_ s: String, isText: Bool) -> String {
        var v = s
        if isText, let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { v = "'" + v }
        if v.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) || v.utf8.first == 0x20 || v.utf8.last == 0x20 {
            return "\"" + v.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        return v
    }

    static func csvOracle(_ t: DataTable) -> String {
        var out = (t.columns.map { csvFieldOracle($0.key, isText: true) } + ["row_type"]).joined(separator: ",") + "\r\n"
        for (rows, type) in [(t.rows, "row"), (t.footer, "total")] {
            for row in rows {
                let cells = zip(row, t.columns).map { cell, _ -> String in
                    if case .text = cell { return csvFieldOracle(t.raw(cell), isText: true) }
                    return csvFieldOracle(t.raw(cell), isText: false)
                }
                out += (cells + [type]).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    static func jsonOracle(_ t: DataTable) -> JSONValue {
        func object(_ row: [DataTable.Cell]) -> JSONValue {
            var o: [String: JSONValue] = [:]
            for (cell, col) in zip(row, t.columns) {
                switch cell {
                case .text(let s): o[col.key] = .string(s)
                case .money(let a), .delta(let a): o[col.key] = .money(a)
                case .share(let s): o[col.key] = .double(s)
                case .count(let n): o[col.key] = .int(n)
                case .day(let d): o[col.key] = .string(d.description)
                case .image(let path, _): o[col.key] = .string(path)
                }
            }
            return .object(o)
        }
        return .object([
            "name": .string(t.name),
            "columns": .array(t.columns.map { .object(["key": .string($0.key), "title": .string($0.title), "kind": .string($0.kind.rawValue)]) }),
            "rows": .array(t.rows.map(object)),
            "totals": .array(t.footer.map(object)),
        ])
    }

    /// The recursive writer `JSONValue.serialized` had before it wrote through `JSONWriter`.
    static func serializedOracle(_ v: JSONValue) -> String {
        func write(_ v: JSONValue, _ depth: Int) -> String {
            let pad = { (d: Int) in String(repeating: "  ", count: d) }
            switch v {
            case .null: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .number(let n): return n
            case .string(let s): var bytes: [UInt8] = []; JSONWriter.quote(s, into: &bytes); return String(decoding: bytes, as: UTF8.self)
            case .array(let items):
                if items.isEmpty { return "[]" }
                return "[\n" + items.map { pad(depth + 1) + write($0, depth + 1) }.joined(separator: ",\n") + "\n" + pad(depth) + "]"
            case .object(let fields):
                if fields.isEmpty { return "{}" }
                return "{\n" + fields.keys.sorted().map { k in pad(depth + 1) + write(.string(k), 0) + ": " + write(fields[k]!, depth + 1) }
                    .joined(separator: ",\n") + "\n" + pad(depth) + "}"
            }
        }
        return write(v, 0) + "\n"
    }

    /// `Amount.exactDescription` as it was written before it wrote bytes.
    static func exactDescriptionOracle(_ a: Amount) -> String {
        let negative = a.units < 0
        let mag = a.units.magnitude
        let whole = mag / UInt128(Amount.unit)
        var text = negative ? "-" : ""
        text += whole <= UInt128(UInt64.max) ? String(UInt64(whole)) : String(whole)
        var frac = UInt64(mag % UInt128(Amount.unit))
        guard frac != 0 else { return text }
        var digits = Amount.scale
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        let fracText = String(frac)
        return text + "." + String(repeating: "0", count: digits - fracText.count) + fracText
    }

    // MARK: Values

    static func amounts() -> [Amount] {
        var out: [Amount] = [.zero, .outOfRange, Amount.maximumTotal, -Amount.maximumTotal, Amount(units: .max), Amount(units: .min + 1)]
        let cent = Amount.unit / 100
        for c: Int128 in [0, 1, 5, 99, 100, 999, 1000, 99_999, 100_000, 999_999_999, 1_000_000_000_000] {
            for delta: Int128 in [-cent / 2 - 1, -cent / 2, -cent / 2 + 1, -1, 0, 1, cent / 2 - 1, cent / 2, cent / 2 + 1] {
                out.append(Amount(units: c * cent + delta)); out.append(Amount(units: -(c * cent + delta)))
            }
        }
        // Either side of the 64-bit path's limit, 10¹⁶ currency units.
        let limit = Amount.unit * 10_000_000_000_000_000
        for u in [limit - 1, limit, limit + 1, limit - cent / 2, limit - cent / 2 - 1] { out.append(Amount(units: u)); out.append(Amount(units: -u)) }
        var rng = SplitMix64(state: 7)
        for _ in 0..<5000 {
            let bits = Int(rng.next() % 120)
            let magnitude = Int128(truncatingIfNeeded: UInt128(rng.next()) << 64 | UInt128(rng.next())) & ((Int128(1) << bits) - 1)
            out.append(Amount(units: rng.next() % 2 == 0 ? magnitude : -magnitude))
        }
        return out
    }

    static func hostileTables() -> [DataTable] {
        let strings = hostileStrings(count: 400)
        var rng = SplitMix64(state: 11)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let amounts = Self.amounts()
        let shares: [Double?] = [nil, 0, -0.0, 1, 0.125, -3.5e-9, 1e300, .nan, .infinity, -.infinity, 1.0 / 3]
        func cell() -> DataTable.Cell {
            switch rng.next() % 7 {
            case 0: return .text(pick(strings))
            case 1: return .money(pick(amounts))
            case 2: return .delta(pick(amounts))
            case 3: return .share(pick(shares))
            case 4: return .count(pick([0, -1, 42, Int.max, Int.min]))
            case 5: return .day(Day(index: Int32(truncatingIfNeeded: rng.next() % 40_000)))
            default: return .image(path: pick(strings), alt: pick(strings))
            }
        }
        var tables = [DataTable(name: "empty", columns: [], rows: []),
                      DataTable(name: "no-rows", columns: [.init("A", key: "a")], rows: []),
                      // A repeated key (the last column wins in JSON) and rows shorter and longer than the columns.
                      DataTable(name: "ragged", columns: [.init("A", key: "k"), .init("B", key: "b", .money), .init("C", key: "k", .count)],
                                rows: [[.text("x")], [.text("x"), .money(.zero)], [.text("x"), .money(.zero), .count(3)], [.text("x"), .money(.zero), .count(3), .text("extra")], []],
                                footer: [[.text("Total"), .delta(Amount(cents: -5))]])]
        for n in 0..<40 {
            let width = Int(rng.next() % 7) + 1
            let columns = (0..<width).map { i in DataTable.Column(pick(strings), key: i % 3 == 2 ? pick(strings) : "col_\(i)", pick([.text, .money, .signedMoney, .percent, .signedPercent, .count, .day])) }
            let rows = (0..<Int(rng.next() % 9)).map { _ in (0..<width).map { _ in cell() } }
            let footer = (0..<Int(rng.next() % 2)).map { _ in (0..<width).map { _ in cell() } }
            tables.append(DataTable(name: n % 5 == 0 ? pick(strings) : "table-\(n)", columns: columns, rows: rows, footer: footer))
        }
        return tables
    }

    // MARK: Tests

    @Test func markdownEscapingEqualsTheScalarDefinition() {
        for s in Self.hostileStrings() {
            #expect(Escaping.markdown(s) == Self.markdownOracle(s), "\(s.debugDescription)")
            var bytes: [UInt8] = Array("x".utf8)
            Escaping.appendMarkdown(s, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "x" + Self.markdownOracle(s))
        }
    }

    @Test func csvFieldsEqualTheDefinition() {
        for s in Self.hostileStrings() {
            for isText in [true, false] { #expect(Escaping.csvField(s, isText: isText) == Self.csvFieldOracle(s, isText: isText), "\(s.debugDescription)") }
        }
    }

    @Test func moneyEqualsTheTextPath() {
        for currency in ["USD", "EUR", "CHF", ""] {
            let f = Formatter(currency: currency)
            for a in Self.amounts() {
                #expect(f.money(a) == f.moneyFromText(a), "\(a.units)")
                #expect(f.signedMoney(a) == (a.cents > 0 ? "+" : "") + f.moneyFromText(a), "\(a.units)")
            }
        }
    }

    @Test func exactDescriptionEqualsTheDefinition() {
        // Powers of ten and their neighbours (10²² and beyond, either side of 64 bits) besides the usual values.
        var values = Self.amounts()
        var p: Int128 = 1
        for _ in 0..<38 {
            for u in [p - 1, p, p + 1] { values += [Amount(units: u), Amount(units: -u)] }
            p *= 10
        }
        values += [Amount(units: Int128(UInt64.max)), Amount(units: Int128(UInt64.max) + 1), Amount(units: -Int128(UInt64.max) - 1),
                   Amount(units: Int128(UInt64.max) * Amount.unit), Amount(units: (Int128(UInt64.max) + 1) * Amount.unit + 1)]
        for a in values {
            #expect(a.exactDescription == Self.exactDescriptionOracle(a), "\(a.units)")
            var bytes = Array("x".utf8)
            a.appendExactDescription(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "x" + Self.exactDescriptionOracle(a))
        }
    }

    @Test func tableExportsEqualTheDefinitions() {
        for t in Self.hostileTables() {
            #expect(CSVExport.csv(t) == Self.csvOracle(t), "\(t.name.debugDescription)")
            #expect(CSVExport.json(t) == Self.serializedOracle(Self.jsonOracle(t)), "\(t.name.debugDescription)")
            #expect(CSVExport.json(t) == Self.jsonOracle(t).serialized())
        }
    }

    @Test func jsonValuesSerializeAsTheRecursiveWriterDid() {
        let strings = Self.hostileStrings(count: 50)
        let values: [JSONValue] = [
            .null, .bool(true), .number("-0.5"), .string(""), .array([]), .object([:]),
            .array([.array([]), .object([:]), .array([.null, .object(["": .array([.object([:])])])])]),
            .object(Dictionary(uniqueKeysWithValues: strings.enumerated().map { ("\($0.offset)\($0.element)", .string($0.element)) })),
            .array(strings.map { .object([$0: .array([.string($0), .number("1"), .bool(false)])]) }),
        ]
        for v in values { #expect(v.serialized() == Self.serializedOracle(v)) }
    }

    @Test func chartTextCleaningEqualsTheScalarDefinition() {
        func oracle(_ s: String) -> String {
            var out = ""
            for u in s.unicodeScalars {
                if u.value < 0x20 || u.value == 0x7F { out.append(" ") } else if u.value == 0xFFFE || u.value == 0xFFFF { continue } else { out.unicodeScalars.append(u) }
            }
            return out
        }
        for s in Self.hostileStrings() + ["\u{FFFF}", "a\u{FFFE}b", "\u{F8FF}", "\u{FF21}"] { #expect(ChartSVG.clean(s) == oracle(s), "\(s.debugDescription)") }
    }

    @Test func chartCoordinatesEqualTheInterpolatedDefinition() {
        // `ChartSVG.num` as it was before it wrote bytes.
        func oracle(_ v: Double) -> String {
            guard v.isFinite else { return "0" }
            let clamped = Swift.max(-1e7, Swift.min(1e7, v))
            let tenths = Int((clamped * 10).rounded(.toNearestOrAwayFromZero))
            let m = tenths.magnitude
            let body = m % 10 == 0 ? "\(m / 10)" : "\(m / 10).\(m % 10)"
            return tenths < 0 ? "-" + body : body
        }
        var values: [Double] = [0, -0.0, 0.04, 0.05, -0.05, -0.04, 0.95, 9.95, 1e7, -1e7, 1e7 + 1, 1e300, -1e300, .nan, .infinity, -.infinity,
                                .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 123.45, 99.99, 100, 1_000_000.05]
        var rng = SplitMix64(state: 3)
        for _ in 0..<5000 { values.append(Double(bitPattern: rng.next())); values.append(Double(Int64(bitPattern: rng.next()) % 200_000_000) / 16) }
        for v in values { #expect(ChartSVG.num(v) == oracle(v), "\(v)") }
    }

    @Test func tableAlignmentRewriteEqualsThreeReplacements() {
        let pieces = [" align=\"right\"", " align=\"center\"", " align=\"left\"", " align=\"", " align=\"rig", "<td", ">", "x", " ", "\"", "right\"", "é"]
        var rng = SplitMix64(state: 5)
        for _ in 0..<2000 {
            var html = (0..<Int(rng.next() % 10)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let expected = UTF8Replace.replacingAll(in: html, [(" align=\"right\"", " class=\"num\""), (" align=\"center\"", " class=\"center\""),
                                                               (" align=\"left\"", "")])
            #expect(html.withUTF8 { MarkdownRenderer.validTableAlignment($0) } == expected, "\(html.debugDescription)")
        }
    }

    /// The page pass (table alignment and chart inlining over cmark's HTML at once) equals the
    /// two passes it replaced: the alignment rewrite, then one search per chart over its result.
    @Test func onePagePassEqualsAlignmentThenChartPerChart() {
        func oldInline(_ charts: [Chart], into html: String) -> String {
            let close = Array("/>".utf8)
            return UTF8Replace.apply(to: html) { bytes in
                var edits: [UTF8Replace.Edit] = []
                for chart in charts {
                    let marker = Array("<img src=\"\(chart.path)\"".utf8)
                    var from = 0
                    while let start = UTF8Replace.find(marker, in: bytes, from: from),
                          let end = UTF8Replace.find(close, in: bytes, from: start + marker.count) {
                        edits.append(.init(start: start, end: end + close.count, replacement: "<span class=\"chart\">\(chart.svg)</span>"))
                        from = end + close.count
                    }
                }
                return edits.sorted { $0.start < $1.start }
            }
        }
        let charts = [Chart(path: "charts/a.svg", svg: "<svg>a é</svg>"), Chart(path: "charts/ab.svg", svg: "<svg>\u{2212}b</svg>"),
                      Chart(path: "charts/b-team.svg", svg: "")]
        // What cmark-gfm writes: whole image tags (quotes, `<` and `>` in attributes escaped), table
        // cells with and without alignment, text with markup characters escaped.
        let pieces = ["<img src=\"charts/a.svg\" alt=\"x\" />", "<img src=\"charts/ab.svg\" alt=\"&quot;/&gt;\" />", "<img src=\"charts/b-team.svg\" alt=\"\" />",
                      "<img src=\"charts/a.svgx\" alt=\"a\" />", "<img src=\"charts/c.svg\" alt=\"\" />", "<img src=\"charts/a.svg?\" alt=\"\" />",
                      "charts/a.svg", "&lt;img src=&quot;charts/a.svg&quot; /&gt;", " align=\"right\"", "<td align=\"right\">", "<th align=\"center\">",
                      "<td align=\"left\">", "<td>", "</td>", "<p>", "é", "&quot;", "x", "/"]
        var rng = SplitMix64(state: 11)
        for round in 0..<3000 {
            var html = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let used = round % 4 == 0 ? [] : Array(charts.prefix(Int(rng.next() % 4)))
            let expected = oldInline(used, into: html.withUTF8 { MarkdownRenderer.validTableAlignment($0) })
            let merged = html.withUTF8 { bytes in
                UTF8Replace.apply(to: bytes) { MarkdownRenderer.merged(MarkdownRenderer.alignmentEdits($0), Chart.inlineEdits(used, in: $0)) }
            }
            #expect(merged == expected, "\(html.debugDescription)")
            #expect(Chart.inline(used, into: html) == oldInline(used, into: html), "\(html.debugDescription)")
        }
    }

    /// The built-in table template prints `markdown` whole; a template of one's own that loops over
    /// `columns`, `rows` and `footer` (as the built-in one did) must still print the same table.
    @Test func aTableTemplateThatLoopsOverRowsPrintsTheSameTable() throws {
        let ownTable = """
            {{% CONTENT_TYPE: MARKDOWN}}
            {{#hasRows}}
            |{{#columns}} {{title}} |{{/columns}}
            |{{#columns}}{{{align}}}|{{/columns}}
            {{#rows}}
            {{{line}}}
            {{/rows}}
            {{#footer}}
            {{{line}}}
            {{/footer}}

            *Data: [{{csv}}]({{csv}}) · [{{json}}]({{json}})*
            {{/hasRows}}
            {{^hasRows}}
            *None in this period.*
            {{/hasRows}}

            """
        try expectBuiltInTablePrintsAs(ownTable)
    }

    /// The built-in table template prints `printed` whole; the one before it, which chose between
    /// `markdown` and the empty line by `hasRows`, must print the same as a template of one's own.
    @Test func thePreviousBuiltInTableTemplatePrintsTheSame() throws {
        try expectBuiltInTablePrintsAs("""
            {{% CONTENT_TYPE: MARKDOWN}}
            {{#hasRows}}
            {{{markdown}}}

            *Data: [{{csv}}]({{csv}}) · [{{json}}]({{json}})*
            {{/hasRows}}
            {{^hasRows}}
            *None in this period.*
            {{/hasRows}}

            """)
    }

    /// `markdown` and the rows' `line`s are made into Strings only when printed, and columns are
    /// values, not dictionaries: a template of one's own prints them, escaped or not, transformed
    /// or as sections, as it printed the Strings and dictionaries.
    @Test func lazyTableTextPrintsAsItsString() throws {
        let folder = TestFiles.tempDir()
        TestFiles.write("""
            {{% CONTENT_TYPE: MARKDOWN}}
            {{markdown}}|{{{markdown}}}|{{uppercased(markdown)}}|{{#markdown}}x{{.}}{{/markdown}}{{^markdown}}y{{/markdown}}
            {{#rows}}{{line}}|{{{line}}}|{{lowercased(line)}}{{/rows}}{{#footer}}{{{line}}}{{/footer}}
            {{#columns}}{{title}}|{{{align}}}|{{uppercased(title)}}|{{/columns}}
            """, to: folder + "/probe.mustache")
        let templates = try TemplateSet(builtIn: try #require(TemplateSet.builtInFolder()), override: folder)
        let f = Formatter(currency: "USD")
        for t in Self.hostileTables() {
            let lazy = TableView.context(t, f)
            func strings(_ v: Any?) -> [[String: Any]] {
                ((v as? [TemplateTableLine]) ?? []).map { ["line": $0.line.renderText] }
            }
            var eager = lazy
            let markdown = try #require(lazy["markdown"] as? TemplateText).renderText
            eager["markdown"] = markdown
            eager["rows"] = strings(lazy["rows"])
            eager["footer"] = strings(lazy["footer"])
            eager["columns"] = t.columns.map { ["title": $0.title, "align": TableView.align($0)] }
            #expect((lazy["columns"] as? [TemplateTableColumn])?.map(\.title) == t.columns.map(\.title))
            #expect((lazy["rows"] as? [TemplateTableLine])?.count == t.rows.count)
            #expect(try templates.render("probe", lazy) == templates.render("probe", eager), "\(t.name.debugDescription)")
            let links = "\n\n*Data: [\(Escaping.markdown(t.name + ".csv"))](\(Escaping.markdown(t.name + ".csv"))) · [\(Escaping.markdown(t.name + ".json"))](\(Escaping.markdown(t.name + ".json")))*"
            #expect(lazy["printed"] as? String == (t.rows.isEmpty ? "*None in this period.*" : markdown + links), "\(t.name.debugDescription)")
        }
    }

    /// A section rendered with `ownTable` as the table template prints what the built-in one prints, over hostile tables.
    func expectBuiltInTablePrintsAs(_ ownTable: String) throws {
        let folder = TestFiles.tempDir()
        TestFiles.write(ownTable, to: folder + "/table.mustache")
        let builtIn = try TemplateSet(builtIn: try #require(TemplateSet.builtInFolder()), override: nil)
        let own = try TemplateSet(builtIn: try #require(TemplateSet.builtInFolder()), override: folder)
        let f = Formatter(currency: "USD")
        for t in Self.hostileTables() {
            let context: [String: Any] = ["anomalies": TableView.context(t, f), "summary": "s", "method": "m", "hasAnomalies": true]
            #expect(try own.render("section-anomalies", context) == builtIn.render("section-anomalies", context), "\(t.name.debugDescription)")
        }
    }
}
