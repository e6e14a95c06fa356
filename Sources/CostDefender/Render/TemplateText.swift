import Mustache

/// A span of a UTF-8 buffer that a template prints like the String it holds, made into that
/// String only when a template prints it: a table's `markdown` and row `line`s are there for
/// templates of one's own, which the built-in ones never print. Its transforms (`uppercased(…)`
/// and the like) are the String's.
public struct TemplateText: MustacheCustomRenderable, MustacheTransformable {
    let bytes: [UInt8]
    let range: Range<Int>

    /// `range` must lie in `bytes` and start and end on character boundaries of valid UTF-8.
    public init(_ bytes: [UInt8], _ range: Range<Int>) { self.bytes = bytes; self.range = range }

    public var renderText: String { String(decoding: bytes[range], as: UTF8.self) }
    public var isNull: Bool { false }
    public func transform(_ name: String) -> Any? { renderText.transform(name) }
}

/// A table row for a template of one's own: `line`, the finished Markdown row.
public struct TemplateTableLine: MustacheParent {
    public let line: TemplateText
    public func child(named name: String) -> Any? { name == "line" ? line : nil }
}

/// A table column for a template of one's own: `title` and `align`, the GFM alignment cell.
public struct TemplateTableColumn: MustacheParent {
    public let title: String
    public let align: String
    public func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "align": align
        default: nil
        }
    }
}
