/// One section of a period's report: a model that turns figures into ready-to-print values, and
/// a template partial (`Templates/<template>.mustache`) that lays them out. Adding a section is
/// one type conforming to this protocol plus one template.
public protocol ReportSection: Sendable {
    /// Template name without `.mustache`, e.g. `section-summary`.
    var template: String { get }
    /// The tables the section shows; each is exported as `<name>.csv` and `<name>.json`.
    var tables: [DataTable] { get }
    /// Values for the template. Tables are available under their camel-cased names via `TableView`.
    func context(_ f: Formatter) -> [String: Any]
    /// Charts the template references as images (`![alt](path)`); written as `.svg` files and
    /// inlined into the HTML page.
    func charts(_ f: Formatter) -> [Chart]
}

extension ReportSection {
    public func charts(_ f: Formatter) -> [Chart] { [] }
}

/// An SVG chart of a page, at `path` relative to the page's folder.
public struct Chart: Sendable {
    public var path: String
    public var svg: String
    public init(path: String, svg: String) { self.path = path; self.svg = svg }

    /// Replaces the `<img src="path" …>` that cmark-gfm made of `![alt](path)` with the SVG itself,
    /// so the HTML page stays one self-contained file.
    public static func inline(_ charts: [Chart], into html: String) -> String {
        var out = html
        for chart in charts {
            let marker = "<img src=\"\(chart.path)\""
            while let start = out.range(of: marker) {
                guard let end = out.range(of: "/>", range: start.upperBound..<out.endIndex) else { break }
                out.replaceSubrange(start.lowerBound..<end.upperBound, with: "<span class=\"chart\">\(chart.svg)</span>")
            }
        }
        return out
    }
}

/// A `DataTable` as template values: `columns` (title, align), `rows` and `footer` of `cells`
/// (text), and the export file names.
public enum TableView {
    public static func context(_ t: DataTable, _ f: Formatter) -> [String: Any] {
        func cells(_ row: [DataTable.Cell]) -> [String: Any] {
            ["cells": zip(row, t.columns).map { cell, col -> [String: Any] in
                let text = t.display(cell, col.kind, f)
                if case .image(let path, let alt) = cell { return ["text": text, "hasText": true, "cellImage": ["path": path, "alt": alt]] }
                return ["text": text, "hasText": !text.isEmpty]
            }]
        }
        return [
            "name": t.name,
            "columns": t.columns.map { c in ["title": c.title, "align": c.kind == .text || c.kind == .day ? ":---" : "---:"] },
            "rows": t.rows.map(cells),
            "footer": t.footer.map(cells),
            "hasRows": !t.rows.isEmpty,
            "csv": "\(t.name).csv",
            "json": "\(t.name).json",
        ]
    }
}
