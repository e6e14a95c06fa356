/// A table of the pack: what a section shows, and what is exported beside it as CSV and JSON.
/// Cells keep their raw value (exported) and are formatted for people by one `Formatter`.
public struct DataTable: Sendable {
    public enum Kind: String, Sendable { case text, money, signedMoney, percent, signedPercent, count, day }
    public struct Column: Sendable {
        public var title: String
        /// Machine name used in CSV/JSON headers (snake_case).
        public var key: String
        public var kind: Kind
        public init(_ title: String, key: String, _ kind: Kind = .text) { self.title = title; self.key = key; self.kind = kind }
    }
    public enum Cell: Sendable {
        case text(String)
        case money(Amount)
        /// A change: shown with its sign (+$1.00), exported like money.
        case delta(Amount)
        case share(Double?)
        case count(Int)
        case day(Day)
        /// A small chart shown in the cell (`path` relative to the page); exported as the path.
        case image(path: String, alt: String)
    }

    /// File name stem of the exports, e.g. `cost-by-team`.
    public var name: String
    public var columns: [Column]
    public var rows: [[Cell]]
    /// Rows shown after a rule, e.g. a total (exported too, flagged in a `row_type` column).
    public var footer: [[Cell]] = []

    public init(name: String, columns: [Column], rows: [[Cell]], footer: [[Cell]] = []) {
        self.name = name; self.columns = columns; self.rows = rows; self.footer = footer
    }

    public func display(_ cell: Cell, _ kind: Kind, _ f: Formatter) -> String {
        switch (cell, kind) {
        case (.text(let s), _): return s
        case (.money(let a), .signedMoney): return f.signedMoney(a)
        case (.money(let a), _): return f.money(a)
        case (.delta(let a), _): return f.signedMoney(a)
        case (.share(let s), .signedPercent): return f.signedPercent(s)
        case (.share(let s), _): return f.percent(s)
        case (.count(let n), _): return f.count(n)
        case (.day(let d), _): return d.description
        case (.image(_, let alt), _): return alt
        }
    }

    /// Raw value for exports: money as its exact decimal, shares as fractions.
    public func raw(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return s
        case .money(let a), .delta(let a): return a.exactDescription
        case .share(let s): return s.map { String($0) } ?? ""
        case .count(let n): return String(n)
        case .day(let d): return d.description
        case .image(let path, _): return path
        }
    }
}
