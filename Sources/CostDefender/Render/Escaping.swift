import Mustache

/// Makes data inert in each output format. Data (resource names, tags, notes) is never markup.
public enum Escaping {
    /// Markdown text: backslash-escapes every character that could start inline markup (emphasis,
    /// links, images, code, raw HTML, entities, table pipes, strikethrough) and folds line breaks
    /// to spaces, so a value stays one literal run of text inside a line or a table cell.
    /// A value may also start a line (a sentence opening with a metric name), so a block marker
    /// that begins it (`#`…`######`, `-`, `+`, `1.` or `1)`, each followed by a space) is escaped too.
    public static func markdown(_ s: String) -> String {
        var s = s
        let escaped = s.withUTF8 { bytes -> String? in
            let marker = blockMarker(bytes)
            // Most values (names, figures) need nothing: they are returned as they are.
            if marker == nil && !bytes.contains(where: { markdownSensitive[Int($0)] }) { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 8)
            appendMarkdown(bytes, marker: marker, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        return escaped ?? s
    }

    /// `markdown(s)`'s bytes appended to `out`, for callers that build a line of bytes.
    static func appendMarkdown(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendMarkdown($0, marker: blockMarker($0), to: &out) }
    }

    /// Byte by byte: every byte that needs work is ASCII, except the three of U+2028 and U+2029
    /// (E2 80 A8/A9), so the runs between them, copied whole, keep every other character whole.
    private static func appendMarkdown(_ bytes: UnsafeBufferPointer<UInt8>, marker: Int?, to out: inout [UInt8]) {
        let n = bytes.count
        var i = 0, plain = 0
        while i < n {
            let b = bytes[i]
            if i == marker {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<i])); plain = i
                out.append(UInt8(ascii: "\\"))
            }
            guard markdownSensitive[Int(b)] else { i += 1; continue }
            // The bytes since the last change, then this one's replacement.
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<i]))
            switch b {
            case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "~"), UInt8(ascii: "!"):
                out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                out.append(UInt8(ascii: " "))
            case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                out.append(UInt8(ascii: " ")); i += 2
            case 0xE2:
                out.append(b)
            default:
                break // the other controls are dropped
            }
            i += 1
            plain = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<n]))
    }

    /// Where the character is that would make a value starting a line a block (heading or list
    /// item), or nil. Every character before it is an ASCII digit, so the byte position is also
    /// the scalar position. A marker alone (`#`, `-`) is left as it is: it is no block with text.
    static func blockMarker(_ s: UnsafeBufferPointer<UInt8>) -> Int? {
        // Only `#`, `-`, `+` or a digit can start a marker; most values start otherwise.
        guard let lead = s.first, lead == UInt8(ascii: "#") || lead == UInt8(ascii: "-") || lead == UInt8(ascii: "+")
                || (lead >= 0x30 && lead <= 0x39) else { return nil }
        let bytes = UnsafeBufferPointer(rebasing: s.prefix(12))
        func space(_ i: Int) -> Bool { i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09) }
        let hashes = bytes.prefix { $0 == UInt8(ascii: "#") }.count
        if (1...6).contains(hashes) && space(hashes) { return 0 }
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+"), space(1) { return 0 }
        let digits = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
        if (1...9).contains(digits), digits < bytes.count, bytes[digits] == UInt8(ascii: ".") || bytes[digits] == UInt8(ascii: ")"),
           space(digits + 1) { return digits }
        return nil
    }

    /// The bytes that may need work in `markdown`: ASCII markup and controls, and 0xE2, the
    /// lead byte of U+2028 and U+2029.
    private static let markdownSensitive: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in 0..<0x20 { table[b] = true }
        for b in "\\`*_[]<>&|~!".utf8 { table[Int(b)] = true }
        table[0x7F] = true
        table[0xE2] = true
        return table
    }()

    /// One CSV field: quoted when needed; text that a spreadsheet would run as a formula
    /// (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'`.
    public static func csvField(_ s: String, isText: Bool) -> String {
        var s = s
        if s.withUTF8({ !csvFormulaLead($0, isText: isText) && !csvNeedsQuotes($0) }) { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 3)
        appendCSVField(s, isText: isText, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `csvField(s, isText:)`'s bytes appended to `out`, for callers that build a whole file.
    static func appendCSVField(_ s: String, isText: Bool, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            // The prefix `'` goes before a byte that is no space, and needs no quotes itself.
            let quoted = csvNeedsQuotes(bytes)
            if quoted { out.append(UInt8(ascii: "\"")) }
            if csvFormulaLead(bytes, isText: isText) { out.append(UInt8(ascii: "'")) }
            guard quoted else { out.append(contentsOf: bytes); return }
            var plain = 0
            for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\"") {
                // The run up to and including this quote, then the quote again.
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain...i]))
                out.append(b)
                plain = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain...]))
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Text whose first character a spreadsheet would take as the start of a formula.
    private static func csvFormulaLead(_ bytes: UnsafeBufferPointer<UInt8>, isText: Bool) -> Bool {
        guard isText, let first = bytes.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@")
            || first == 0x09 || first == 0x0D
    }

    /// A comma, quote or line break inside, or a space at either end. By byte, not Character: a
    /// CRLF is one Character, equal to neither "\r" nor "\n".
    private static func csvNeedsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.first == 0x20 || bytes.last == 0x20 { return true }
        for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return true }
        return false
    }

    /// HTML text and attribute values.
    public static func html(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) { return s }
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A quoted CSS string (for `content:` in a page's `<style>`): letters, digits, spaces, plain
    /// punctuation and non-ASCII text stay; every other character, including quotes, backslashes, `<` and
    /// controls, becomes a hex escape, so a value can neither end the string nor the `<style>`.
    public static func cssString(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            let v = ch.value
            let plain = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                || " -.,:;()/_#".unicodeScalars.contains(ch) || (v >= 0xA0 && v != 0x2028 && v != 0x2029 && v != 0xFEFF)
            if plain { out.unicodeScalars.append(ch) } else { out += "\\" + String(v, radix: 16) + " " }
        }
        return out + "\""
    }
}

/// The `MARKDOWN` content type for Mustache templates: `{{value}}` is Markdown-escaped.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { Escaping.markdown(text) }
}

import Foundation
