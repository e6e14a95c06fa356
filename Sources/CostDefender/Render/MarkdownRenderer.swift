import CCmarkGFM
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

    public static func html(_ markdown: String) -> String {
        _ = registered
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_GITHUB_PRE_LANG
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        let length = markdown.utf8.count
        markdown.withCString { cmark_parser_feed(parser, $0, length) }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(html) }
        return validTableAlignment(String(cString: html))
    }

    /// cmark-gfm writes table alignment as the `align` attribute, which HTML5 made obsolete (the
    /// Nu checker rejects it); the stylesheet aligns the `num` and `center` classes instead.
    static func validTableAlignment(_ html: String) -> String {
        UTF8Replace.replacingAll(in: html, [(" align=\"right\"", " class=\"num\""),
                                            (" align=\"center\"", " class=\"center\""),
                                            (" align=\"left\"", "")])
    }}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
