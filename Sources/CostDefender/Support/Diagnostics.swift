/// One problem found in the inputs.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning }
    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    /// What the user can do about it.
    public var hint: String?

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String, hint: String? = nil) {
        self.severity = severity; self.location = location; self.message = message; self.hint = hint
    }

    public var description: String {
        "\(severity): \(location): \(message)" + (hint.map { ". \($0)" } ?? "")
    }
}

/// Collects recoverable problems; only fatal ones throw. Keeps every error and at most
/// `detailLimit` warnings of each message kind, counting the rest, so memory stays bounded.
public struct Diagnostics: Sendable {
    public private(set) var items: [Diagnostic] = []
    /// Warnings not kept in `items`, by message.
    public private(set) var suppressed: [String: Int] = [:]
    private var perMessage: [String: Int] = [:]
    public let detailLimit: Int

    public init(detailLimit: Int = 20) { self.detailLimit = detailLimit }

    public mutating func add(_ d: Diagnostic) {
        let n = perMessage[d.message, default: 0]
        perMessage[d.message] = n + 1
        if n < detailLimit || d.severity == .error && items.count < 10_000 {
            items.append(d)
        } else {
            suppressed[d.message, default: 0] += 1
        }
    }

    public mutating func error(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        add(Diagnostic(.error, location, message, hint: hint))
    }

    public mutating func warning(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        add(Diagnostic(.warning, location, message, hint: hint))
    }

    /// Restores diagnostics saved earlier (the cube cache): the kept items and the counts of
    /// those that were only counted, so a cached rebuild reports exactly what the first build did.
    public mutating func restore(items: [Diagnostic], suppressed: [String: Int]) {
        for d in items { add(d) }
        for (m, n) in suppressed { self.suppressed[m, default: 0] += n }
    }

    public mutating func merge(_ other: Diagnostics) {
        for d in other.items { add(d) }
        for (m, n) in other.suppressed { suppressed[m, default: 0] += n }
    }

    /// The same diagnostics with the line numbers of `file` moved by `offset` (for a file read
    /// in ranges whose later range counted its lines from 1).
    public func shiftingLines(in file: String, by offset: Int) -> Diagnostics {
        var out = self
        out.items = items.map { d in
            var d = d
            if d.location.file == file, let line = d.location.line { d.location.line = line + offset }
            return d
        }
        return out
    }

    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { items.filter { $0.severity == .warning } }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
