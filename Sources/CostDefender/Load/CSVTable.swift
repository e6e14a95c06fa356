/// A small CSV input (ledger, metrics, budgets, …) read whole, with typed, located field access.
/// Problems are collected in `Diagnostics` so `validate` can list every one of them.
public struct CSVTable {
    public var file: String
    public var header: [String]
    public var rows: [(line: Int, fields: [String])]

    /// Reads `path`, checking that `required` columns exist (case-insensitively).
    public static func read(path: String, displayPath: String, required: [String], diagnostics: inout Diagnostics) throws -> CSVTable? {
        let reader = CSVReader(source: try ByteSources.open(path), initialBufferSize: 1 << 16)
        var header: [String]?
        var rows: [(Int, [String])] = []
        do {
            try reader.forEachRecord { record in
                let fields = record.strings.map { $0.trimmingCharacters(in: .whitespaces) }
                if header == nil { header = fields } else { rows.append((record.line, fields)) }
            }
        } catch let f as CSVReader.Failure {
            diagnostics.error(SourceLocation(file: displayPath, line: f.line, column: f.column), f.message)
            return nil
        }
        guard let header else {
            diagnostics.error(SourceLocation(file: displayPath, line: 1), "the file is empty; it needs a header row with \(required.joined(separator: ", "))")
            return nil
        }
        let lower = Set(header.map { $0.lowercased() })
        let missing = required.filter { !lower.contains($0.lowercased()) }
        if !missing.isEmpty {
            diagnostics.error(SourceLocation(file: displayPath, line: 1), "the header has no \(missing.joined(separator: ", ")) column", hint: "the columns are documented in docs/inputs.md")
            return nil
        }
        return CSVTable(file: displayPath, header: header, rows: rows)
    }

    /// Typed access to one row; each accessor reports a located problem and returns nil when bad.
    public struct Row {
        public let table: CSVTable
        public let line: Int
        public let fields: [String]

        func column(_ name: String) -> Int? { table.header.firstIndex { $0.lowercased() == name.lowercased() } }

        func location(_ name: String) -> SourceLocation {
            let c = column(name)
            return SourceLocation(file: table.file, line: line, column: c.map { $0 + 1 }, columnName: name)
        }

        /// The text, or nil when the column is absent or the cell empty.
        public func text(_ name: String) -> String? {
            guard let c = column(name), c < fields.count, !fields[c].isEmpty else { return nil }
            return fields[c]
        }

        public func required(_ name: String, _ d: inout Diagnostics) -> String? {
            guard let t = text(name) else { d.error(location(name), "\(name) is empty"); return nil }
            return t
        }

        public func amount(_ name: String, _ d: inout Diagnostics, required: Bool = true) -> Amount?? {
            guard let t = text(name) else {
                if required { d.error(location(name), "\(name) is empty") ; return nil }
                return .some(nil)
            }
            switch Amount.parse(t) {
            case .value(let v, _): return .some(v)
            case .invalid(let why): d.error(location(name), "\(name) is not a number (\(why)): \(t.prefix(40))"); return nil
            }
        }

        public func day(_ name: String, _ d: inout Diagnostics, required: Bool = true) -> Day?? {
            guard let t = text(name) else {
                if required { d.error(location(name), "\(name) is empty; write a date as YYYY-MM-DD"); return nil }
                return .some(nil)
            }
            guard let day = Day(iso: t) else { d.error(location(name), "\(name) is not a date (YYYY-MM-DD, years 1900–2200): \(t.prefix(40))"); return nil }
            return .some(day)
        }
    }

    public var typedRows: [Row] {
        rows.map { Row(table: self, line: $0.line, fields: $0.fields) }
    }

    /// Checks field counts; returns the rows whose count matches the header.
    public func wellFormedRows(_ d: inout Diagnostics) -> [Row] {
        typedRows.filter { row in
            if row.fields.count != header.count {
                d.error(SourceLocation(file: file, line: row.line), "the row has \(row.fields.count) fields but the header has \(header.count)")
                return false
            }
            return true
        }
    }
}

import Foundation
