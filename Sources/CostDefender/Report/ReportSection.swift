/// One section of a period's report: a model that turns figures into ready-to-print values, and
/// a template partial (`Templates/<template>.mustache`) that lays them out. Adding a section is
/// one type conforming to this protocol plus one template.
public protocol ReportSection: Sendable {
    /// Template name without `.mustache`, e.g. `section-summary`.
    var template: String { get }
    /// The tables the section shows; each is exported as `<name>.csv` and `<name>.json`.
    var tables: [DataTable] { get }
    /// Values for the template. Tables are available under their camel-cased names via `TableView`.
    /// `tables` is the section's `tables`, made once by the page for the template and the exports
    /// (a section that shows its tables formatted otherwise ignores it).
    func context(_ f: Formatter, tables: [DataTable]) -> [String: Any]
    /// Charts the template references as images (`![alt](path)`); written as `.svg` files and
    /// inlined into the HTML page.
    func charts(_ f: Formatter) -> [Chart]
}

extension ReportSection {
    public func charts(_ f: Formatter) -> [Chart] { [] }
    /// The template's values, the tables made here.
    public func context(_ f: Formatter) -> [String: Any] { context(f, tables: tables) }
}

/// An SVG chart of a page, at `path` relative to the page's folder.
public struct Chart: Sendable {
    public var path: String
    public var svg: String
    public init(path: String, svg: String) { self.path = path; self.svg = svg }

    /// Replaces the `<img src="path" …>` that cmark-gfm made of `![alt](path)` with the SVG itself,
    /// so the HTML page stays one self-contained file.
    public static func inline(_ charts: [Chart], into html: String) -> String {
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
}

/// A `DataTable` as template values: `printed`, all that the built-in `table` template prints;
/// `markdown`, the finished GFM table (header, alignment row, rows, footer rows with bold cells;
/// values escaped); the same pieces for a template of one's own: `columns` (title, align), `rows` and
/// `footer` whose `line` is the finished Markdown table row; `hasRows`; and the export file names.
/// Rows are written here rather than cell by cell in the template: per-cell template lookups were
/// a sixth of a whole build's instructions, and a GFM table has one possible form.
public enum TableView {
    public static func context(_ t: DataTable, _ f: Formatter) -> [String: Any] {
        var text: [UInt8] = []
        text.reserveCapacity(128 * (t.rows.count + t.footer.count + 2))
        text.append(UInt8(ascii: "|"))
        for c in t.columns {
            text.append(UInt8(ascii: " "))
            Escaping.appendMarkdown(c.title, to: &text)
            text.append(contentsOf: " |".utf8)
        }
        text.append(contentsOf: "\n|".utf8)
        for c in t.columns {
            text.append(contentsOf: align(c).utf8)
            text.append(UInt8(ascii: "|"))
        }
        func line(_ row: [DataTable.Cell], bold: Bool) -> [String: Any] {
            text.append(UInt8(ascii: "\n"))
            let start = text.count
            text.append(UInt8(ascii: "|"))
            for (cell, col) in zip(row, t.columns) {
                text.append(UInt8(ascii: " "))
                if case .image(let path, let alt) = cell {
                    text.append(contentsOf: "![".utf8)
                    Escaping.appendMarkdown(alt, to: &text)
                    text.append(contentsOf: "](".utf8)
                    Escaping.appendMarkdown(path, to: &text)
                    text.append(UInt8(ascii: ")"))
                } else {
                    let value = t.display(cell, col.kind, f)
                    if !value.isEmpty {
                        if bold { text.append(contentsOf: "**".utf8) }
                        Escaping.appendMarkdown(value, to: &text)
                        if bold { text.append(contentsOf: "**".utf8) }
                    }
                }
                text.append(contentsOf: " |".utf8)
            }
            return ["line": String(decoding: text[start...], as: UTF8.self)]
        }
        let rows = t.rows.map { line($0, bold: false) }
        let footer = t.footer.map { line($0, bold: true) }
        let markdown = String(decoding: text, as: UTF8.self)
        return [
            "name": t.name,
            "printed": printed(t, markdown: text),
            "markdown": markdown,
            "columns": t.columns.map { c in ["title": c.title, "align": align(c)] },
            "rows": rows,
            "footer": footer,
            "hasRows": !t.rows.isEmpty,
            "csv": "\(t.name).csv",
            "json": "\(t.name).json",
        ]
    }

    /// What the built-in `table` template prints (before its final line break): the table and a
    /// line linking its exports, or a line saying it is empty. One value, so a table costs the
    /// template one lookup instead of seven (`hasRows` twice, the file names twice each).
    static func printed(_ t: DataTable, markdown: [UInt8]) -> String {
        if t.rows.isEmpty { return "*None in this period.*" }
        var text = markdown
        let csv = "\(t.name).csv", json = "\(t.name).json"
        text.append(contentsOf: "\n\n*Data: [".utf8)
        Escaping.appendMarkdown(csv, to: &text)
        text.append(contentsOf: "](".utf8)
        Escaping.appendMarkdown(csv, to: &text)
        text.append(contentsOf: ") · [".utf8)
        Escaping.appendMarkdown(json, to: &text)
        text.append(contentsOf: "](".utf8)
        Escaping.appendMarkdown(json, to: &text)
        text.append(contentsOf: ")*".utf8)
        return String(decoding: text, as: UTF8.self)
    }

    /// The GFM alignment cell: text and days left, figures right.
    static func align(_ c: DataTable.Column) -> String { c.kind == .text || c.kind == .day ? ":---" : "---:" }
}
