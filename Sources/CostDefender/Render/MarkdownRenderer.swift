import CCmarkGFM
import CMarkdownArena
import Foundation

/// GitHub-flavoured Markdown → HTML through the system cmark-gfm. The only file that touches the
/// C library; no C pointer leaves it. Raw HTML in the Markdown is dropped (no `CMARK_OPT_UNSAFE`)
/// and dangerous link schemes are filtered by cmark, so data cannot inject markup.
public enum MarkdownRenderer {
    /// Registers the GFM extensions once; cmark's registration is not thread-safe.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    private static let extensionNames = ["table", "strikethrough", "tasklist"]

    public static func html(_ markdown: String) -> String { html(markdown, edits: { _ in [] }) }

    /// `html(markdown)` with the spans that `edits` finds in cmark's HTML (in increasing order,
    /// not overlapping a table alignment attribute) replaced in the same pass: the page's HTML is
    /// copied and checked as UTF-8 once, not once per rewrite. `edits` must not render Markdown
    /// itself: cmark's memory for the page is the thread's arena, returned when this call ends.
    public static func html(_ markdown: String, edits: (UnsafeBufferPointer<UInt8>) -> [UTF8Replace.Edit]) -> String {
        _ = registered
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_GITHUB_PRE_LANG
        // Everything cmark allocates for this page comes from the thread's arena and is returned
        // at once when the page is done (after the parser and the tree, which free into it).
        let arena = cdma_allocator().assumingMemoryBound(to: cmark_mem.self)
        defer { cdma_reset() }
        guard let parser = cmark_parser_new_with_mem(options, arena) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        let length = markdown.utf8.count
        markdown.withCString { cmark_parser_feed(parser, $0, length) }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let html = cmark_render_html_with_mem(document, options, cmark_parser_get_syntax_extensions(parser), arena) else { return "" }
        // Read once, by the alignment pass, into the page's String.
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(html).assumingMemoryBound(to: UInt8.self), count: strlen(html))
        return UTF8Replace.apply(to: bytes) { merged(alignmentEdits($0), edits($0)) }
    }

    /// Two lists of edits, each in increasing order, as one in increasing order.
    static func merged(_ a: [UTF8Replace.Edit], _ b: [UTF8Replace.Edit]) -> [UTF8Replace.Edit] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        var out: [UTF8Replace.Edit] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].start <= b[j].start) { out.append(a[i]); i += 1 } else { out.append(b[j]); j += 1 }
        }
        return out
    }

    /// cmark-gfm writes table alignment as the `align` attribute, which HTML5 made obsolete (the
    /// Nu checker rejects it); the stylesheet aligns the `num` and `center` classes instead.
    static func validTableAlignment(_ html: UnsafeBufferPointer<UInt8>) -> String {
        UTF8Replace.apply(to: html, edits: alignmentEdits)
    }

    /// The edits of `validTableAlignment`, in increasing order.
    static func alignmentEdits(_ bytes: UnsafeBufferPointer<UInt8>) -> [UTF8Replace.Edit] {
        // One search for the attribute's common start, then its value decides (three searches,
        // one per value, cost three times as much).
        var edits: [UTF8Replace.Edit] = []
        var from = 0
        while let at = UTF8Replace.find(alignStart, in: bytes, from: from) {
            from = at + 1
            for (value, replacement) in alignments {
                let end = at + alignStart.count + value.count
                guard end <= bytes.count, memcmp(bytes.baseAddress! + at + alignStart.count, value, value.count) == 0 else { continue }
                edits.append(.init(start: at, end: end, replacement: replacement))
                from = end
                break
            }
        }
        return edits
    }

    private static let alignStart = Array(" align=\"".utf8)
    private static let alignments: [(value: [UInt8], replacement: String)] = [
        (Array("right\"".utf8), " class=\"num\""), (Array("center\"".utf8), " class=\"center\""), (Array("left\"".utf8), ""),
    ]
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
