/// The one error type the library throws. Every case says what went wrong, where, and what to do.
public enum CostDefenderError: Error, CustomStringConvertible, Sendable {
    /// A file could not be opened, read or written.
    case io(path: String, message: String)
    /// Input content is wrong at a known place.
    case input(SourceLocation, message: String, hint: String?)
    /// The configuration is unusable.
    case config(path: String, message: String)
    /// The build found problems that stop it (each one listed).
    case invalidInputs([Diagnostic])
    /// Templates could not be parsed or rendered.
    case template(name: String, message: String)
    /// An external program (Chromium for `--pdf`) is missing or failed.
    case tool(name: String, message: String)

    public var description: String {
        switch self {
        case .io(let path, let message):
            return "\(path): \(message)"
        case .input(let location, let message, let hint):
            return "\(location): \(message)" + (hint.map { ". \($0)" } ?? "")
        case .config(let path, let message):
            return "\(path): \(message)"
        case .invalidInputs(let problems):
            let shown = problems.prefix(50).map { $0.description }
            let more = problems.count > 50 ? ["… and \(problems.count - 50) more problems (run `costdefender validate` to list them all)"] : []
            return (["the inputs have \(problems.count) problem\(problems.count == 1 ? "" : "s"):"] + shown + more).joined(separator: "\n")
        case .template(let name, let message):
            return "template \(name): \(message)"
        case .tool(let name, let message):
            return "\(name): \(message)"
        }
    }
}

/// Where in an input a problem is: file, 1-based line and, when known, 1-based column (field).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var columnName: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.columnName = columnName
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        if let columnName { s += " (\(columnName))" }
        return s
    }
}
