/// Writes JSON text as it goes, in the one layout of the pack's JSON files: two-space indent, one
/// member or element per line, `"key": value`, `{}` and `[]` when empty. `JSONValue.serialized`
/// writes through it; the table exports write through it directly, without building a tree.
/// The writer does not sort: a caller writing an object gives its keys in sorted order.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Members written so far in each open object or array, innermost last.
    private var open: [Int] = []
    /// A key was just written, so the next value goes on its line.
    private var afterKey = false

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    /// The document with its final newline.
    mutating func finish() -> String {
        precondition(open.isEmpty, "an object or array is still open")
        bytes.append(UInt8(ascii: "\n"))
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func beginObject() { startValue(); bytes.append(UInt8(ascii: "{")); open.append(0) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { startValue(); bytes.append(UInt8(ascii: "[")); open.append(0) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    mutating func key(_ k: String) {
        newMember()
        Self.quote(k, into: &bytes)
        bytes.append(UInt8(ascii: ":")); bytes.append(UInt8(ascii: " "))
        afterKey = true
    }

    mutating func string(_ s: String) { startValue(); Self.quote(s, into: &bytes) }
    /// A number literal already in JSON syntax.
    mutating func number(_ literal: String) { startValue(); bytes.append(contentsOf: literal.utf8) }
    mutating func null() { startValue(); bytes.append(contentsOf: "null".utf8) }
    mutating func bool(_ b: Bool) { startValue(); bytes.append(contentsOf: (b ? "true" : "false").utf8) }

    private mutating func startValue() {
        if afterKey { afterKey = false; return }
        if !open.isEmpty { newMember() }
    }

    private mutating func newMember() {
        let depth = open.count
        bytes.append(contentsOf: open[depth - 1] == 0 ? "\n".utf8 : ",\n".utf8)
        open[depth - 1] += 1
        indent(depth)
    }

    private mutating func close(_ bracket: UInt8) {
        if open.removeLast() > 0 { bytes.append(UInt8(ascii: "\n")); indent(open.count) }
        bytes.append(bracket)
    }

    private mutating func indent(_ depth: Int) { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth)) }

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
