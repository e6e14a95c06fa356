/// Reads the FOCUS `Tags` column: a JSON object of string keys to (usually) string values.
///
/// Tolerant by design: numbers, booleans and nested values become their JSON text, `null`
/// values are dropped, duplicate keys keep the last value. Returns nil for text that is not a
/// JSON object, so the caller can report it and treat the row as untagged.
public enum TagsParser {
    public static func parse(_ text: String) -> [(key: String, value: String)]? {
        var p = Parser(bytes: Array(text.utf8))
        return p.object()
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        }

        mutating func object() -> [(key: String, value: String)]? {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
            i += 1
            var result: [(key: String, value: String)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return finish(result) }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skipSpace()
                guard let value = value() else { return nil }
                if let value {
                    result.removeAll { $0.key == key }
                    result.append((key, value))
                }
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return finish(result) }
                return nil
            }
        }

        mutating func finish(_ r: [(key: String, value: String)]) -> [(key: String, value: String)]? {
            skipSpace()
            return i == bytes.count ? r : nil
        }

        /// A value: `.some(nil)` for JSON null, nil for a syntax error.
        mutating func value() -> String?? {
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                guard let s = string() else { return nil }
                return .some(s)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let start = i
                guard skipNested() else { return nil }
                return .some(String(decoding: bytes[start..<i], as: UTF8.self))
            default:
                let start = i
                while i < bytes.count, !(bytes[i] == UInt8(ascii: ",") || bytes[i] == UInt8(ascii: "}") || bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13) { i += 1 }
                let word = String(decoding: bytes[start..<i], as: UTF8.self)
                if word == "null" { return .some(nil) }
                if word == "true" || word == "false" { return .some(word) }
                if case .value = Amount.parse(word) { return .some(word) }
                return nil
            }
        }

        mutating func skipNested() -> Bool {
            var depth = 0
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { guard string() != nil else { return false }; continue }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") { depth -= 1; if depth == 0 { i += 1; return true } }
                i += 1
            }
            return false
        }

        mutating func string() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
                if c == UInt8(ascii: "\\") {
                    i += 1
                    guard i < bytes.count else { return nil }
                    let e = bytes[i]
                    switch e {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "u"):
                        guard i + 4 < bytes.count, var code = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16) else { return nil }
                        i += 4
                        // Surrogate pair.
                        if code >= 0xD800 && code < 0xDC00, i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u"),
                           let low = UInt32(String(decoding: bytes[(i + 3)...(i + 6)], as: UTF8.self), radix: 16), low >= 0xDC00, low < 0xE000 {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: out.append(e)
                    }
                    i += 1
                    continue
                }
                out.append(c)
                i += 1
            }
            return nil
        }
    }
}
