/// Writes a `DataTable` as CSV (RFC 4180, formula-safe text) and as JSON (exact decimals).
/// Footer rows (totals) are included, marked `total` in a `row_type` column.
public enum CSVExport {
    public static func csv(_ t: DataTable) -> String {
        var out = (t.columns.map { Escaping.csvField($0.key, isText: true) } + ["row_type"]).joined(separator: ",") + "\r\n"
        for (rows, type) in [(t.rows, "row"), (t.footer, "total")] {
            for row in rows {
                let cells = zip(row, t.columns).map { cell, _ -> String in
                    if case .text = cell { return Escaping.csvField(t.raw(cell), isText: true) }
                    return Escaping.csvField(t.raw(cell), isText: false)
                }
                out += (cells + [type]).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    public static func json(_ t: DataTable) -> JSONValue {
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
}
