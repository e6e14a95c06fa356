/// Writes a `DataTable` as CSV (RFC 4180, formula-safe text) and as JSON (exact decimals).
/// Footer rows (totals) are included, marked `total` in a `row_type` column.
public enum CSVExport {
    public static func csv(_ t: DataTable) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 * (t.rows.count + t.footer.count + 1))
        for column in t.columns {
            Escaping.appendCSVField(column.key, isText: true, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: "row_type\r\n".utf8)
        for (rows, type) in [(t.rows, "row"), (t.footer, "total")] {
            for row in rows {
                for (cell, _) in zip(row, t.columns) {
                    switch cell {
                    case .text(let s): Escaping.appendCSVField(s, isText: true, to: &out)
                    // Digits, `-` and `.`: never quoted.
                    case .money(let a), .delta(let a): a.appendExactDescription(to: &out)
                    default: Escaping.appendCSVField(t.raw(cell), isText: false, to: &out)
                    }
                    out.append(UInt8(ascii: ","))
                }
                out.append(contentsOf: type.utf8)
                out.append(contentsOf: "\r\n".utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The table as a JSON document: `name`, `columns` (key, kind, title), `rows` and `totals`,
    /// each row an object keyed by column key (the last column of a repeated key wins), written
    /// straight to text with the keys in `JSONValue`'s sorted order.
    private enum Keys {
        static let key = JSONWriter.Key("key"), kind = JSONWriter.Key("kind"), title = JSONWriter.Key("title")
    }

    public static func json(_ t: DataTable) -> String {
        // Each distinct key in sorted order (quoted into one buffer), and the columns that carry
        // it in column order: key k's are order[groupStart[k]..<groupStart[k + 1]].
        let order = t.columns.indices.sorted(by: { (t.columns[$0].key, $0) < (t.columns[$1].key, $1) })
        var keys = JSONWriter.KeyList()
        var groupStart: [Int] = []
        groupStart.reserveCapacity(order.count + 1)
        var previous: String?
        for (n, i) in order.enumerated() {
            let key = t.columns[i].key
            if key != previous { keys.append(key); groupStart.append(n) }
            previous = key
        }
        groupStart.append(order.count)

        func object(_ row: [DataTable.Cell], _ w: inout JSONWriter) {
            let width = min(row.count, t.columns.count)
            w.beginObject()
            for k in 0..<keys.count {
                guard let i = order[groupStart[k]..<groupStart[k + 1]].last(where: { $0 < width }) else { continue }
                w.key(keys, at: k)
                switch row[i] {
                case .text(let s): w.string(s)
                case .money(let a), .delta(let a): w.number(a)
                case .share(let s): if let s, s.isFinite { w.number(String(s)) } else { w.null() }
                case .count(let n): w.number(String(n))
                case .day(let d): w.string(d.description)
                case .image(let path, _): w.string(path)
                }
            }
            w.endObject()
        }
        var w = JSONWriter(capacity: 256 * (t.rows.count + t.footer.count + 2))
        w.beginObject()
        w.key("columns")
        w.beginArray()
        for c in t.columns {
            w.beginObject()
            w.key(Keys.key); w.string(c.key)
            w.key(Keys.kind); w.string(c.kind.rawValue)
            w.key(Keys.title); w.string(c.title)
            w.endObject()
        }
        w.endArray()
        w.key("name"); w.string(t.name)
        w.key("rows")
        w.beginArray()
        for row in t.rows { object(row, &w) }
        w.endArray()
        w.key("totals")
        w.beginArray()
        for row in t.footer { object(row, &w) }
        w.endArray()
        w.endObject()
        return w.finish()
    }
}
