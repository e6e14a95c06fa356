/// A JSON document written deterministically: keys sorted, two-space indent, money as exact
/// decimal number literals (never through a binary float).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number literal, already in JSON syntax (e.g. `Amount.exactDescription`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public static func money(_ a: Amount) -> JSONValue { .number(a.exactDescription) }
    public static func int(_ n: Int) -> JSONValue { .number(String(n)) }
    public static func double(_ d: Double?) -> JSONValue {
        guard let d, d.isFinite else { return .null }
        return .number(String(d))
    }

    public func serialized() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(&out, depth: 0)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes UTF-8 bytes; `depth` is the nesting level (two spaces each).
    private func write(_ out: inout [UInt8], depth: Int) {
        func indent(_ d: Int) { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * d)) }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(contentsOf: "[\n".utf8)
            for (i, item) in items.enumerated() {
                indent(depth + 1)
                item.write(&out, depth: depth + 1)
                out.append(contentsOf: (i == items.count - 1 ? "\n" : ",\n").utf8)
            }
            indent(depth)
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            if fields.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(contentsOf: "{\n".utf8)
            let keys = fields.keys.sorted()
            for (i, k) in keys.enumerated() {
                indent(depth + 1)
                Self.quote(k, into: &out)
                out.append(contentsOf: ": ".utf8)
                fields[k]!.write(&out, depth: depth + 1)
                out.append(contentsOf: (i == keys.count - 1 ? "\n" : ",\n").utf8)
            }
            indent(depth)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string literal. Besides what JSON requires, `<`, `>`, `&`, U+2028 and U+2029 are
    /// escaped, so the text stays inert if the JSON is ever pasted into HTML or a script.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
                case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
                case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "\\u003c".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "\\u003e".utf8)
                case UInt8(ascii: "&"): out.append(contentsOf: "\\u0026".utf8)
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    out.append(contentsOf: (bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    i += 2
                case 0..<0x20: out.append(contentsOf: "\\u00".utf8); out.append(hexDigit(b >> 4)); out.append(hexDigit(b & 15))
                default: out.append(b)
                }
                i += 1
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }
}
