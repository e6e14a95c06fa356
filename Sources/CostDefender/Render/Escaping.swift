import Mustache

/// Makes data inert in each output format. Data (resource names, tags, notes) is never markup.
public enum Escaping {
    /// Markdown text: backslash-escapes every character that could start inline markup (emphasis,
    /// links, images, code, raw HTML, entities, table pipes, strikethrough) and folds line breaks
    /// to spaces, so a value stays one literal run of text inside a line or a table cell.
    /// Templates place values inside lines, never at a line start, so block syntax cannot arise.
    public static func markdown(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for ch in s.unicodeScalars {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "&", "|", "~", "!":
                out.append("\\"); out.unicodeScalars.append(ch)
            case "\n", "\r", "\t", "\u{2028}", "\u{2029}":
                out.append(" ")
            default:
                if ch.value < 0x20 || ch.value == 0x7F { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// One CSV field: quoted when needed; text that a spreadsheet would run as a formula
    /// (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'`.
    public static func csvField(_ s: String, isText: Bool) -> String {
        var v = s
        if isText, let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || v.hasPrefix(" ") || v.hasSuffix(" ") {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    /// HTML text and attribute values.
    public static func html(_ s: String) -> String {
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
}

/// The `MARKDOWN` content type for Mustache templates: `{{value}}` is Markdown-escaped.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { Escaping.markdown(text) }
}

import Foundation
