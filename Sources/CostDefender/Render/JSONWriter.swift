/// Writes JSON text as it goes, in the one layout of the pack's JSON files: two-space indent, one
/// member or element per line, `"key": value`, `{}` and `[]` when empty. `JSONValue.serialized`
/// writes through it; the table exports write through it directly, without building a tree.
/// The writer does not sort: a caller writing an object gives its keys in sorted order.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Open objects and arrays, and members written so far in the innermost one.
    private var depth = 0
    private var members = 0
    /// `members` of each enclosing object or array, innermost last.
    private var enclosing: [Int] = []
    /// A key was just written, so the next value goes on its line.
    private var afterKey = false

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    /// The document with its final newline.
    mutating func finish() -> String {
        precondition(depth == 0, "an object or array is still open")
        bytes.append(UInt8(ascii: "\n"))
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func beginObject() { begin(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { begin(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    mutating func key(_ k: String) {
        newMember()
        Self.quote(k, into: &bytes)
        bytes.append(UInt8(ascii: ":")); bytes.append(UInt8(ascii: " "))
        afterKey = true
    }

    /// A key quoted once, for a key written many times (a table's column keys, once per row).
    struct Key: Sendable {
        fileprivate let text: [UInt8]
        init(_ k: String) {
            var text: [UInt8] = []
            JSONWriter.quote(k, into: &text)
            text.append(UInt8(ascii: ":")); text.append(UInt8(ascii: " "))
            self.text = text
        }
    }

    mutating func key(_ k: Key) {
        newMember()
        bytes.append(contentsOf: k.text)
        afterKey = true
    }

    /// Keys quoted once into one buffer (a table's column keys, written once per row, without an
    /// allocation per key): key `k` is `text[k == 0 ? 0 : ends[k - 1]..<ends[k]]`, with its `: `.
    struct KeyList {
        fileprivate var text: [UInt8] = []
        fileprivate var ends: [Int] = []
        var count: Int { ends.count }
        mutating func append(_ k: String) {
            JSONWriter.quote(k, into: &text)
            text.append(UInt8(ascii: ":")); text.append(UInt8(ascii: " "))
            ends.append(text.count)
        }
    }

    mutating func key(_ list: KeyList, at k: Int) {
        newMember()
        bytes.append(contentsOf: list.text[(k == 0 ? 0 : list.ends[k - 1])..<list.ends[k]])
        afterKey = true
    }

    mutating func string(_ s: String) { startValue(); Self.quote(s, into: &bytes) }
    /// A number literal already in JSON syntax.
    mutating func number(_ literal: String) { startValue(); bytes.append(contentsOf: literal.utf8) }
    /// An amount as its exact decimal (`Amount.exactDescription`).
    mutating func number(_ a: Amount) { startValue(); a.appendExactDescription(to: &bytes) }
    mutating func null() { startValue(); bytes.append(contentsOf: "null".utf8) }
    mutating func bool(_ b: Bool) { startValue(); bytes.append(contentsOf: (b ? "true" : "false").utf8) }

    private mutating func startValue() {
        if afterKey { afterKey = false; return }
        if depth > 0 { newMember() }
    }

    private mutating func newMember() {
        if members > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\n"))
        members += 1
        indent(depth)
    }

    private mutating func begin(_ bracket: UInt8) {
        startValue()
        bytes.append(bracket)
        enclosing.append(members)
        members = 0
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if members > 0 { bytes.append(UInt8(ascii: "\n")); indent(depth) }
        bytes.append(bracket)
        members = enclosing.removeLast()
    }

    private mutating func indent(_ depth: Int) {
        if 2 * depth <= Self.spaces.count { bytes.append(contentsOf: Self.spaces[..<(2 * depth)]) }
        else { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth)) }
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 32)

    /// A JSON string literal. Besides what JSON requires, `<`, `>`, `&`, U+2028 and U+2029 are
    /// escaped, so the text stays inert if the JSON is ever pasted into HTML or a script.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var i = 0, plain = 0
            while i < bytes.count {
                let b = bytes[i]
                guard needsEscape[Int(b)] else { i += 1; continue }
                // The bytes since the last escape, then this one's escape.
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<i]))
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
                case 0xE2: out.append(b)
                default: out.append(contentsOf: "\\u00".utf8); out.append(hexDigit(b >> 4)); out.append(hexDigit(b & 15))
                }
                i += 1
                plain = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The bytes `quote` escapes (controls, `"`, `\\`, `<`, `>`, `&`) and 0xE2, the lead byte of
    /// U+2028 and U+2029.
    private static let needsEscape: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in 0..<0x20 { table[b] = true }
        for b in "\"\\<>&".utf8 { table[Int(b)] = true }
        table[0xE2] = true
        return table
    }()

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }
}
