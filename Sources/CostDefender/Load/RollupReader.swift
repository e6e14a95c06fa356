import Foundation

/// Loads a rollup file (`RollupFormat`, made in a warehouse by the SQL of `costdefender sql`)
/// into a `CostCube`, giving exactly the cells `FOCUSReader` builds from the same line items.
///
/// Invariants: every row becomes one daily cell (its resource kept only when tracked) and, when it
/// has no team tag, also the month × resource cell of `untaggedResources` — what `FOCUSReader`
/// does per line item, with the row's sums in place of one item's amounts. Rows read = Σ
/// `row_count`, so reconciliation and `rows_read` match a build from the line items. Rows the
/// warehouse rejected (`rejected_reason`) count as rejected rows, with their BilledCost. A row
/// that cannot be read is rejected with file, line and column, like a bad FOCUS row.
public struct RollupReader {
    public var relevantTagKeys: Set<String>
    public var teamTagKeys: Set<String>
    public var trackedResources: Set<String> = []
    /// Shown in diagnostics instead of absolute paths.
    public var displayPath: (String) -> String = { $0 }

    public init(relevantTagKeys: Set<String>, teamTagKeys: Set<String>) {
        self.relevantTagKeys = relevantTagKeys
        self.teamTagKeys = teamTagKeys
    }

    /// A rollup reader with the settings of a FOCUS reader, so both build the same cells.
    public init(matching reader: FOCUSReader) {
        self.init(relevantTagKeys: reader.relevantTagKeys, teamTagKeys: reader.teamTagKeys)
        trackedResources = reader.trackedResources
        displayPath = reader.displayPath
    }

    /// Whether the file (plain or gzip) starts with a rollup header rather than FOCUS columns.
    /// Reads only the first record.
    public static func isRollup(path: String) throws -> Bool {
        struct Stop: Error {}
        let reader = CSVReader(source: try ByteSources.open(path), initialBufferSize: 1 << 16)
        var header: [String]?
        do {
            try reader.forEachRecord { record in
                header = record.strings
                throw Stop()
            }
        } catch is Stop {
        } catch is CSVReader.Failure {
            return false
        }
        return header.map(RollupFormat.isRollupHeader) ?? false
    }

    /// Reads one rollup file into `cube`. Bad rows go to `diagnostics` as errors with line and column.
    public func read(file path: String, into cube: inout CostCube, diagnostics: inout Diagnostics) throws -> FOCUSFileSummary {
        let shown = displayPath(path)
        let size = FileStatus.size(of: path)
        let reader = CSVReader(source: try ByteSources.open(path))
        var summary = FOCUSFileSummary(path: shown, bytes: size, focusVersionHint: "rollup")
        var state: State?
        do {
            try reader.forEachRecord { record in
                if state == nil {
                    let columns = try Columns(header: record.strings, reader: self, file: shown, line: record.line)
                    state = State(cube: cube, reader: self, columns: columns)
                    return
                }
                state!.add(record, summary: &summary, diagnostics: &diagnostics, file: shown)
            }
        } catch let failure as CSVReader.Failure {
            diagnostics.error(SourceLocation(file: shown, line: failure.line, column: failure.column), failure.message,
                              hint: "fix the quoting of the rollup export; every \" inside a quoted field must be doubled")
            summary.rowsRejected += 1
        }
        guard var s = state else {
            diagnostics.error(SourceLocation(file: shown, line: 1), "the file is empty: no rollup header row", hint: "remove the file or export the rollup again")
            return summary
        }
        cube = s.finish()
        return summary
    }

    /// Positions of the rollup columns in a file.
    struct Columns {
        var names: [String]
        var day = -1, billingAccountName = -1, subAccountName = -1, teamTagged = -1, tagsMalformed = -1
        var rowCount = -1, rejectedReason = -1
        var measures: [Int] = []
        /// Position of each dimension column by `Dimension.rawValue`, -1 for `.tagProfile`.
        var dimensions = [Int](repeating: -1, count: Dimension.allCases.count)
        /// Kept tag keys and their columns, sorted by key.
        var tags: [(key: String, column: Int)] = []

        init(header: [String], reader: RollupReader, file: String, line: Int) throws {
            names = header
            var index: [String: Int] = [:]
            var tagColumns: [String: Int] = [:]
            for (i, raw) in header.enumerated() {
                let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
                if index[name] != nil {
                    throw CostDefenderError.input(SourceLocation(file: file, line: line, column: i + 1, columnName: raw),
                                                  message: "the rollup header has the column `\(raw)` twice", hint: "export the result of `costdefender sql` unchanged")
                }
                index[name] = i
                if let key = RollupFormat.tagKey(fromColumn: raw) {
                    if tagColumns[key] != nil {
                        throw CostDefenderError.input(SourceLocation(file: file, line: line, column: i + 1, columnName: raw),
                                                      message: "the rollup header has two columns for tag key `\(key)`", hint: "export the result of `costdefender sql` unchanged")
                    }
                    tagColumns[key] = i
                } else if name.hasPrefix(RollupFormat.tagPrefix) {
                    throw CostDefenderError.input(SourceLocation(file: file, line: line, column: i + 1, columnName: raw),
                                                  message: "`\(raw)` is not a tag column name: after tag_, every byte other than a-z, 0-9, _ and - is written %XX",
                                                  hint: "export the result of `costdefender sql` unchanged")
                }
            }
            let missing = RollupFormat.fixedColumns.filter { index[$0] == nil }
            if !missing.isEmpty {
                throw CostDefenderError.input(SourceLocation(file: file, line: line),
                                              message: "not a complete CostDefender rollup: the header has no \(missing.joined(separator: ", ")) column\(missing.count == 1 ? "" : "s")",
                                              hint: "generate the rollup with `costdefender sql` and export it with its header (docs/rollup.md)")
            }
            let absentKeys = reader.relevantTagKeys.filter { tagColumns[$0] == nil }.sorted()
            if !absentKeys.isEmpty {
                throw CostDefenderError.input(SourceLocation(file: file, line: line),
                                              message: "the rollup has no column for tag key\(absentKeys.count == 1 ? "" : "s") \(absentKeys.map { "`\($0)` (\(RollupFormat.tagColumn($0)))" }.joined(separator: ", ")), which the config uses",
                                              hint: "the rollup was made for another config: run `costdefender sql --config` with this config and the query again")
            }
            day = index["day"]!; billingAccountName = index["billing_account_name"]!; subAccountName = index["sub_account_name"]!
            teamTagged = index["team_tagged"]!; tagsMalformed = index["tags_malformed"]!
            rowCount = index["row_count"]!; rejectedReason = index["rejected_reason"]!
            measures = RollupFormat.measureColumns.map { index[$0]! }
            for (name, d) in RollupFormat.dimensionColumns { dimensions[d.rawValue] = index[name]! }
            // Tag columns the config does not use are dropped, as the FOCUS reader drops such tags.
            tags = tagColumns.filter { reader.relevantTagKeys.contains($0.key) }.map { (key: $0.key, column: $0.value) }.sorted { $0.key < $1.key }
        }
    }

    /// Per-file state: interners map bytes to the cube's table indices, as in `FOCUSReader`.
    private struct State {
        var builder: CubeBuilder
        let reader: RollupReader
        let columns: Columns
        /// One interner per kept tag column; a profile is cached by its value ids.
        var tagValues: [ByteInterner]
        var profileOfValues: [[Int32]: Int32] = [:]

        init(cube: CostCube, reader: RollupReader, columns: Columns) {
            builder = CubeBuilder(cube: cube, teamTagKeys: reader.teamTagKeys, trackedResources: reader.trackedResources)
            self.reader = reader
            self.columns = columns
            tagValues = columns.tags.map { _ in ByteInterner() }
        }

        mutating func add(_ record: borrowing CSVRecord, summary: inout FOCUSFileSummary, diagnostics: inout Diagnostics, file: String) {
            let c = columns
            func location(_ column: Int) -> SourceLocation {
                SourceLocation(file: file, line: record.line, column: column >= 0 ? column + 1 : nil,
                               columnName: column >= 0 && column < c.names.count ? c.names[column] : nil)
            }
            func text(_ column: Int) -> String { String(decoding: record.bytes(column).prefix(60), as: UTF8.self) }
            if record.count != c.names.count {
                summary.rowsRead += 1
                summary.rowsRejected += 1
                diagnostics.error(location(-1), "the row has \(record.count) fields but the header has \(c.names.count)", hint: "check for an unquoted comma or a missing field")
                return
            }
            // The number of line items first: every other count depends on it.
            guard let n = Int(text(c.rowCount)), n > 0 else {
                summary.rowsRead += 1
                summary.rowsRejected += 1
                diagnostics.error(location(c.rowCount), "row_count is not a whole number of line items above 0: \(text(c.rowCount))")
                return
            }
            summary.rowsRead += n
            func reject(_ column: Int, _ message: String, hint: String? = nil) {
                summary.rowsRejected += n
                if case .value(let v, _) = Amount.parse(record.bytes(c.measures[0])) { summary.rejectedBilledCost += v }
                diagnostics.error(location(column), message + " (a rollup row of \(n) line item\(n == 1 ? "" : "s"))", hint: hint)
            }
            if record.length(c.rejectedReason) > 0 {
                summary.rowsRejected += n
                if case .value(let v, _) = Amount.parse(record.bytes(c.measures[0])) { summary.rejectedBilledCost += v }
                diagnostics.error(location(c.rejectedReason), "\(n) line item\(n == 1 ? " was" : "s were") rejected in the warehouse: \(record.string(c.rejectedReason))",
                                  hint: "find them in the FOCUS table with the checks in docs/rollup.md, fix the export and run the rollup query again")
                return
            }
            guard record.length(c.day) == 10, let day = DateTimeParser.day(from: record.bytes(c.day)) else {
                reject(c.day, "day is not a date written YYYY-MM-DD in 1900–2200: \(text(c.day))")
                return
            }
            var amounts: [Amount] = []
            for (i, col) in c.measures.enumerated() {
                let name = RollupFormat.measureColumns[i]
                if record.length(col) == 0 {
                    if i < 2 { reject(col, "\(name) is empty; every rollup row needs it"); return }
                    amounts.append(.zero)
                    continue
                }
                switch Amount.parse(record.bytes(col)) {
                case .value(let v, let rounded):
                    if rounded {
                        diagnostics.warning(location(col), "more than 15 decimal places; rounded to 15")
                    }
                    amounts.append(v)
                case .invalid(let why):
                    reject(col, "\(name) is not a number (\(why)): \(text(col))")
                    return
                }
            }
            if record.length(c.dimensions[Dimension.currency.rawValue]) == 0 {
                reject(c.dimensions[Dimension.currency.rawValue], "billing_currency is empty")
                return
            }
            func flag(_ column: Int, _ name: String) -> Bool? {
                switch text(column).lowercased() {
                case "true", "t", "1": return true
                case "false", "f", "0": return false
                default: reject(column, "\(name) is not true or false: \(text(column))"); return nil
                }
            }
            guard let teamTaggedFlag = flag(c.teamTagged, "team_tagged"), let malformed = flag(c.tagsMalformed, "tags_malformed") else { return }

            var m = CostMeasures()
            m.rows = n
            m.billed = amounts[0]; m.effective = amounts[1]; m.list = amounts[2]; m.contracted = amounts[3]
            m.consumedQuantity = amounts[4]; m.pricingQuantity = amounts[5]

            // The tag profile: the kept keys with a value.
            var ids: [Int32] = []
            ids.reserveCapacity(c.tags.count + 1)
            for (i, t) in c.tags.enumerated() {
                ids.append(record.length(t.column) == 0 ? -1 : tagValues[i].id(of: record.bytes(t.column)))
            }
            ids.append(malformed ? 1 : 0)
            let profile: Int32
            if let p = profileOfValues[ids] {
                profile = p
            } else {
                var tags: [String: String] = [:]
                for (i, t) in c.tags.enumerated() where ids[i] >= 0 { tags[t.key] = tagValues[i].strings[Int(ids[i])] }
                if malformed && !tags.isEmpty {
                    reject(c.tagsMalformed, "tags_malformed is true but the row has tag values")
                    return
                }
                profile = builder.internProfile(TagProfile(tags: tags, malformed: malformed))
                profileOfValues[ids] = profile
            }
            let isTeamTagged = builder.teamTagged[Int(profile)]
            if isTeamTagged != teamTaggedFlag {
                reject(c.teamTagged, "team_tagged is \(teamTaggedFlag) but the row has \(isTeamTagged ? "a" : "no") value for the team tag keys of the config (\(reader.teamTagKeys.sorted().joined(separator: ", ")))",
                       hint: "the rollup was made for another config: run `costdefender sql --config` with this config and the query again")
                return
            }

            var key = CubeKey(time: day.index)
            for d in Dimension.allCases where d != .tagProfile && d != .resource {
                let col = c.dimensions[d.rawValue]
                if record.length(col) > 0 { key[d] = builder.interners[d.rawValue].id(of: record.bytes(col)) }
            }
            let resourceColumn = c.dimensions[Dimension.resource.rawValue]
            let hasResource = record.length(resourceColumn) > 0
            if hasResource, builder.tracked.lookup(record.bytes(resourceColumn)) != nil {
                key[.resource] = builder.interners[Dimension.resource.rawValue].id(of: record.bytes(resourceColumn))
            }
            key[.tagProfile] = profile
            builder.add(daily: key, m)
            summary.billedCost += m.billed
            summary.effectiveCost += m.effective
            summary.listCost += m.list
            if !isTeamTagged {
                var rk = key
                rk.time = Int32(day.month.ordinal)
                if hasResource { rk[.resource] = builder.interners[Dimension.resource.rawValue].id(of: record.bytes(resourceColumn)) }
                builder.add(untagged: rk, m)
            }
            if malformed {
                diagnostics.warning(location(c.tagsMalformed), "Tags is not a JSON object on \(n) line item\(n == 1 ? "" : "s"); \(n == 1 ? "it counts" : "they count") as untagged",
                                    hint: "export Tags as a JSON object such as {\"team\": \"payments\"}")
            }
            nameAccount(record, .subAccount, id: key[.subAccount], nameColumn: c.subAccountName)
            nameAccount(record, .billingAccount, id: key[.billingAccount], nameColumn: c.billingAccountName)
        }

        /// Remembers the name on the first row of each account id, as `FOCUSReader` does.
        mutating func nameAccount(_ record: borrowing CSVRecord, _ d: Dimension, id: Int32, nameColumn: Int) {
            guard builder.firstSight(of: d, id: id), record.length(nameColumn) > 0 else { return }
            builder.name(d, id: id, record.string(nameColumn))
        }

        mutating func finish() -> CostCube { builder.finish() }
    }
}
