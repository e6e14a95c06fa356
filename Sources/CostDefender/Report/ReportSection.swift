#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        UTF8Replace.apply(to: html) { inlineEdits(charts, in: $0) }
    }

    /// The edits of `inline`, in increasing order: one search for `<img src="` over the page
    /// (not one per chart), then the chart whose path and closing quote follow; the tag ends at
    /// the next `/>`. The first chart listed wins where two share a path.
    public static func inlineEdits(_ charts: [Chart], in bytes: UnsafeBufferPointer<UInt8>) -> [UTF8Replace.Edit] {
        if charts.isEmpty { return [] }
        let paths = charts.map { Array($0.path.utf8) }
        var edits: [UTF8Replace.Edit] = []
        var from = 0
        while let start = UTF8Replace.find(imageStart, in: bytes, from: from) {
            from = start + 1
            let pathStart = start + imageStart.count
            guard let k = paths.indices.first(where: { k in
                let end = pathStart + paths[k].count
                return end < bytes.count && bytes[end] == UInt8(ascii: "\"")
                    && paths[k].withUnsafeBufferPointer { p in p.isEmpty || memcmp(bytes.baseAddress! + pathStart, p.baseAddress!, p.count) == 0 }
            }), let end = UTF8Replace.find(imageClose, in: bytes, from: pathStart + paths[k].count + 1) else { continue }
            edits.append(.init(start: start, end: end + imageClose.count, replacement: "<span class=\"chart\">\(charts[k].svg)</span>"))
            from = end + imageClose.count
        }
        return edits
    }

    private static let imageStart = Array("<img src=\"".utf8)
    private static let imageClose = Array("/>".utf8)
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
        let kinds = t.columns.map(\.kind)
        func appendCell(_ value: String, bold: Bool) {
            if value.isEmpty { return }
            if bold { text.append(contentsOf: "**".utf8) }
            Escaping.appendMarkdown(value, to: &text)
            if bold { text.append(contentsOf: "**".utf8) }
        }
        func line(_ row: [DataTable.Cell], bold: Bool) -> Range<Int> {
            text.append(UInt8(ascii: "\n"))
            let start = text.count
            text.append(UInt8(ascii: "|"))
            for c in 0..<min(row.count, kinds.count) {
                text.append(UInt8(ascii: " "))
                switch row[c] {
                case .image(let path, let alt):
                    text.append(contentsOf: "![".utf8)
                    Escaping.appendMarkdown(alt, to: &text)
                    text.append(contentsOf: "](".utf8)
                    Escaping.appendMarkdown(path, to: &text)
                    text.append(UInt8(ascii: ")"))
                case .text(let value):
                    appendCell(value, bold: bold)
                case let cell:
                    appendCell(t.display(cell, kinds[c], f), bold: bold)
                }
                text.append(contentsOf: " |".utf8)
            }
            return start..<text.count
        }
        let rows = t.rows.map { line($0, bold: false) }
        let footer = t.footer.map { line($0, bold: true) }
        let markdownEnd = text.count
        let printed = appendPrinted(t, to: &text)
        // `text` is whole: the spans share its storage.
        return [
            "name": t.name,
            "printed": printed,
            "markdown": TemplateText(text, 0..<markdownEnd),
            "columns": t.columns.map { TemplateTableColumn(title: $0.title, align: align($0)) },
            "rows": rows.map { TemplateTableLine(line: TemplateText(text, $0)) },
            "footer": footer.map { TemplateTableLine(line: TemplateText(text, $0)) },
            "hasRows": !t.rows.isEmpty,
            "csv": "\(t.name).csv",
            "json": "\(t.name).json",
        ]
    }

    /// What the built-in `table` template prints (before its final line break) for the table whose
    /// Markdown `text` holds: the table and a line linking its exports, or a line saying it is
    /// empty. One value, so a table costs the template one lookup instead of seven (`hasRows`
    /// twice, the file names twice each). The links are appended to `text`, whose Markdown stays
    /// its prefix, and the String is made from the bytes once.
    static func appendPrinted(_ t: DataTable, to text: inout [UInt8]) -> String {
        if t.rows.isEmpty { return "*None in this period.*" }
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
