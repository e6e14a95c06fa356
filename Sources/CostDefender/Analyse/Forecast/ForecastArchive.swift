import Foundation

/// CostDefender's own forecasts, kept in a CSV beside the site so that later builds can score
/// them. Same columns as finance's `forecasts.csv` plus the model:
/// `made_on,period,team,amount,low,high,model` (`team` is `*` for the organisation).
///
/// Invariants: the file is append-only — rows are never rewritten or removed; a row is keyed by
/// made-on × period × team and a key already present is never written again, so re-running a
/// build for the same as-of date adds nothing.
public struct ForecastArchive: Sendable {
    public static let header = "made_on,period,team,amount,low,high,model"

    public struct Row: Sendable, Equatable {
        public var madeOn: Day
        public var month: Month
        /// nil for the organisation (`*`).
        public var team: String?
        public var amount: Amount
        public var low: Amount
        public var high: Amount
        public var model: String

        var key: String { "\(madeOn)|\(month)|\(team ?? "*")" }

        var line: String {
            [madeOn.description, month.description, Escaping.csvField(team ?? "*", isText: true), amount.plainText(decimals: 2),
             low.plainText(decimals: 2), high.plainText(decimals: 2), model].joined(separator: ",")
        }
    }

    public var path: String
    public var rows: [Row]

    /// Reads the archive; a missing file is an empty archive. Bad rows are reported, not fatal.
    public static func read(path: String, diagnostics: inout Diagnostics) throws -> ForecastArchive {
        guard FileManager.default.fileExists(atPath: path) else { return ForecastArchive(path: path, rows: []) }
        guard let table = try CSVTable.read(path: path, displayPath: path, required: ["made_on", "period", "team", "amount", "low", "high", "model"], diagnostics: &diagnostics) else {
            return ForecastArchive(path: path, rows: [])
        }
        var rows: [Row] = []
        for row in table.wellFormedRows(&diagnostics) {
            guard let madeOn = row.day("made_on", &diagnostics) ?? nil, let period = row.required("period", &diagnostics),
                  let team = row.required("team", &diagnostics), let amount = row.amount("amount", &diagnostics) ?? nil,
                  let low = row.amount("low", &diagnostics) ?? nil, let high = row.amount("high", &diagnostics) ?? nil else { continue }
            guard let month = Month(iso: period) else { diagnostics.error(row.location("period"), "period `\(period)` is not YYYY-MM"); continue }
            let teamName = team.hasPrefix("'") ? String(team.dropFirst()) : team   // undo formula-safety quoting
            rows.append(Row(madeOn: madeOn, month: month, team: teamName == "*" ? nil : teamName, amount: amount, low: low, high: high,
                            model: row.text("model") ?? ""))
        }
        return ForecastArchive(path: path, rows: rows)
    }

    /// Appends the rows whose key is not in the archive yet; returns how many were written.
    /// Creates the file (and its folder) with a header when missing.
    @discardableResult
    public mutating func append(_ new: [Row]) throws -> Int {
        let existing = Set(rows.map(\.key))
        var seen = existing
        let fresh = new.filter { seen.insert($0.key).inserted }
        guard !fresh.isEmpty else { return 0 }
        let fm = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !fm.fileExists(atPath: folder) { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var text = fresh.map { $0.line + "\n" }.joined()
        if !fm.fileExists(atPath: path) { text = Self.header + "\n" + text }
        guard let handle = FileHandle(forWritingAtPath: path) ?? (fm.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil) else {
            throw CostDefenderError.io(path: path, message: "cannot open the forecast history for appending; check permissions or `forecast_history` in the config")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        rows += fresh
        return fresh.count
    }
}
