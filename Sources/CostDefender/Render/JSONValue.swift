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
        var out = ""
        write(&out, indent: "")
        out.append("\n")
        return out
    }

    private func write(_ out: inout String, indent: String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            let inner = indent + "  "
            for (i, item) in items.enumerated() {
                out += inner
                item.write(&out, indent: inner)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{\n"
            let inner = indent + "  "
            let keys = fields.keys.sorted()
            for (i, k) in keys.enumerated() {
                out += inner
                Self.quote(k, into: &out)
                out += ": "
                fields[k]!.write(&out, indent: inner)
                out += i == keys.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"   // inert if the JSON is ever pasted into HTML
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if ch.value < 0x20 || ch.value == 0x2028 || ch.value == 0x2029 {
                    let hex = String(ch.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        out += "\""
    }
}
