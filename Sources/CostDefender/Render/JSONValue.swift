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
        var writer = JSONWriter()
        write(to: &writer)
        return writer.finish()
    }

    private func write(to w: inout JSONWriter) {
        switch self {
        case .null: w.null()
        case .bool(let b): w.bool(b)
        case .number(let n): w.number(n)
        case .string(let s): w.string(s)
        case .array(let items):
            w.beginArray()
            for item in items { item.write(to: &w) }
            w.endArray()
        case .object(let fields):
            w.beginObject()
            for k in fields.keys.sorted() {
                w.key(k)
                fields[k]!.write(to: &w)
            }
            w.endObject()
        }
    }
}
