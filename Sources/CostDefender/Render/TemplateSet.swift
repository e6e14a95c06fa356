import Foundation
import Mustache

/// The Mustache templates of the pack: the built-in folder first, then a user's folder whose
/// files replace built-in ones of the same name, one by one. Markdown templates start with
/// `{{% CONTENT_TYPE: MARKDOWN}}` so values are Markdown-escaped; HTML templates use the Mustache
/// default, HTML escaping. `style.css` is the stylesheet.
public struct TemplateSet: Sendable {
    private var library: MustacheLibrary
    public private(set) var stylesheet: String

    private static let registerContentTypes: Void = {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
    }()

    /// Where the built-in templates are: `$COSTDEFENDER_TEMPLATES`, the checkout this library was
    /// built from, or `share/costdefender/Templates` beside an installed binary.
    public static func builtInFolder() -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["COSTDEFENDER_TEMPLATES"], fm.fileExists(atPath: env) { return env }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates").path
        if fm.fileExists(atPath: checkout + "/report.mustache") { return checkout }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = exe.deletingLastPathComponent().appendingPathComponent("share/costdefender/Templates").path
        if fm.fileExists(atPath: installed + "/report.mustache") { return installed }
        return nil
    }

    public init(builtIn: String, override: String?) throws {
        _ = Self.registerContentTypes
        library = MustacheLibrary()
        stylesheet = ""
        try load(folder: builtIn)
        if let override {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: override, isDirectory: &isDir), isDir.boolValue else {
                throw CostDefenderError.config(path: override, message: "the templates folder does not exist; fix `templates:` in the config")
            }
            try load(folder: override)
        }
    }

    private mutating func load(folder: String) throws {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for file in files.sorted() {
            let path = (folder as NSString).appendingPathComponent(file)
            if file == "style.css" {
                stylesheet = try String(contentsOfFile: path, encoding: .utf8)
                continue
            }
            guard file.hasSuffix(".mustache") else { continue }
            let name = String(file.dropLast(".mustache".count))
            let text = try String(contentsOfFile: path, encoding: .utf8)
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw CostDefenderError.template(name: path, message: "line \(error.context.lineNumber), column \(error.context.columnNumber): \(error.error)")
            }
        }
    }

    /// Renders template `name` (without `.mustache`) with `context`.
    public func render(_ name: String, _ context: Any) throws -> String {
        guard let text = library.render(context, withTemplate: name) else {
            throw CostDefenderError.template(name: name, message: "no such template; the built-in Templates folder is incomplete")
        }
        return text
    }

    public func has(_ name: String) -> Bool { library.getTemplate(named: name) != nil }
}
