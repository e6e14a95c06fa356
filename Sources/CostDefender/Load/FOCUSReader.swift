import Foundation

/// What loading one FOCUS file found, for the reconciliation section.
public struct FOCUSFileSummary: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int
    public var rowsRead = 0
    public var rowsRejected = 0
    /// Exact sums over accepted rows, straight from the parsed text (independent of the cube).
    public var billedCost = Amount.zero
    public var effectiveCost = Amount.zero
    public var listCost = Amount.zero
    /// Exact sum of `BilledCost` over rejected rows whose BilledCost could be read.
    public var rejectedBilledCost = Amount.zero
    public var focusVersionHint: String
}

/// Streams FOCUS CSV files into a `CostCube`. Memory is bounded by the cube's cardinality and the
/// distinct dimension values, never by the number of rows.
public struct FOCUSReader {
    /// Tag keys (lowercased) kept in tag profiles.
    public var relevantTagKeys: Set<String>
    /// Tag keys (lowercased) that name a team; rows without any are drilled down by resource.
    public var teamTagKeys: Set<String>
    /// Resource ids kept in the daily cube (those a ledger scope names), so that a scope can
    /// select them; other resources are not kept per day, which keeps the cube small.
    public var trackedResources: Set<String> = []
    /// Shown in diagnostics instead of absolute paths.
    public var displayPath: (String) -> String = { $0 }

    public init(relevantTagKeys: Set<String>, teamTagKeys: Set<String>) {
        self.relevantTagKeys = relevantTagKeys
        self.teamTagKeys = teamTagKeys
    }

    /// Every `*.csv` / `*.csv.gz` under a folder (recursively, sorted), or the file itself.
    public static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                throw CostDefenderError.io(path: p, message: "no such FOCUS file or folder; check inputs.focus in the config or --focus")
            }
            if isDir.boolValue {
                let found = (FileManager.default.enumerator(atPath: p)?.allObjects as? [String] ?? [])
                    .filter { $0.lowercased().hasSuffix(".csv") || $0.lowercased().hasSuffix(".csv.gz") }
                    .sorted()
                    .map { (p as NSString).appendingPathComponent($0) }
                if found.isEmpty { throw CostDefenderError.io(path: p, message: "the folder holds no .csv or .csv.gz files") }
                files += found
            } else {
                files.append(p)
            }
        }
        return files
    }

    /// Called from the reading threads every `progressEvery` rows with the rows and bytes read
    /// since the last call (bytes of the file as stored, so compressed bytes for gzip).
    public var onProgress: (@Sendable (_ rows: Int, _ bytes: Int) -> Void)?
    public var progressEvery = 1 << 16

    /// Files at least this large (plain CSV) are read in two halves on two threads.
    public var parallelThreshold = 32 << 20

    /// Reads one file into `cube`. Rejected rows go to `diagnostics` as errors with line and column.
    public func read(file path: String, into cube: inout CostCube, diagnostics: inout Diagnostics) throws -> FOCUSFileSummary {
        try read(file: path, into: &cube, diagnostics: &diagnostics, hashing: nil)
    }

    /// Reads one file into `cube`, handing `hashing` the content hash of every block of a plain
    /// file that the body's readers read whole (`ContentHash.Collector.finish` does the rest).
    func read(file path: String, into cube: inout CostCube, diagnostics: inout Diagnostics, hashing: ContentHash.Collector?) throws -> FOCUSFileSummary {
        let shown = displayPath(path)
        let size = FileStatus.size(of: path)
        var summary = FOCUSFileSummary(path: shown, bytes: size, focusVersionHint: "")
        // The header first: it decides the columns for every range.
        let headerReader = CSVReader(source: try ByteSources.open(path), initialBufferSize: 1 << 16)
        var columns: FOCUSColumns?
        do {
            try headerReader.forEachRecord(stopAt: 0) { record in
                let header = record.strings
                let c = FOCUSColumns(header: header)
                let missing = c.missingRequired()
                if !missing.isEmpty {
                    throw CostDefenderError.input(SourceLocation(file: shown, line: record.line), message: "not a FOCUS cost and usage file: the header has no \(missing.joined(separator: ", ")) column", hint: "export FOCUS 1.0 or later, or check that the first line is the header")
                }
                let lower = Set(header.map { $0.lowercased() })
                summary.focusVersionHint = lower.contains("serviceprovidername") ? "1.3" : (lower.contains("capacityreservationid") ? "1.1+" : "1.0+")
                columns = c
            }
        } catch let failure as CSVReader.Failure {
            diagnostics.error(SourceLocation(file: shown, line: failure.line, column: failure.column), failure.message,
                              hint: "fix the quoting in the export; every \" inside a quoted field must be doubled")
            summary.rowsRejected += 1
            return summary
        }
        guard let columns else {
            diagnostics.error(SourceLocation(file: shown, line: 1), "the file is empty: no FOCUS header row", hint: "remove the file or export it again")
            return summary
        }
        let bodyStart = headerReader.endOffset
        let bodyLine = 1 + headerReader.linesRead
        let isPlain = (try? ByteSources.open(path)) is FileByteSource
        if isPlain && size - bodyStart >= parallelThreshold && ProcessInfo.processInfo.activeProcessorCount > 1,
           let split = Self.lineStart(after: bodyStart + (size - bodyStart) / 2, in: path, size: size) {
            try readInTwo(path, shown, columns, bodyStart: bodyStart, bodyLine: bodyLine, split: split, hashing: hashing, cube: &cube, summary: &summary, diagnostics: &diagnostics)
        } else {
            // Sequentially from the start (a gzip stream cannot be entered in the middle), skipping the header.
            var state = State(cube: cube, reader: self)
            try readRange(path, shown, columns, from: 0, stopAt: nil, firstLine: 1, skipHeader: true, hashing: hashing, state: &state, summary: &summary, diagnostics: &diagnostics)
            cube = state.finish()
        }
        return summary
    }

    /// Parses the records from `offset` (a record boundary) until `stopAt` (or the end).
    /// Returns the offset after the last record and the lines it consumed.
    @discardableResult
    private func readRange(_ path: String, _ shown: String, _ columns: FOCUSColumns, from offset: Int, stopAt: Int?, firstLine: Int, skipHeader: Bool = false,
                           hashing: ContentHash.Collector?, state: inout State, summary: inout FOCUSFileSummary, diagnostics: inout Diagnostics) throws -> (end: Int, lines: Int) {
        let opened: ByteSource = offset == 0 ? try ByteSources.open(path) : try FileByteSource(path: path, offset: offset)
        let source = hashing?.wrap(opened, at: offset) ?? opened
        let reader = CSVReader(source: source, startOffset: offset)
        var skip = skipHeader
        var sinceReport = 0
        var bytesReported = 0
        let every = progressEvery
        let report = onProgress
        defer { report?(sinceReport, reader.bytesConsumed - bytesReported) }
        do {
            try reader.forEachRecord(stopAt: stopAt, firstLine: firstLine) { record in
                if skip { skip = false; return }
                sinceReport += 1
                if sinceReport == every, let report {
                    let bytes = reader.bytesConsumed
                    report(sinceReport, bytes - bytesReported)
                    sinceReport = 0
                    bytesReported = bytes
                }
                summary.rowsRead += 1
                state.add(record, columns: columns, summary: &summary, diagnostics: &diagnostics, file: shown)
            }
        } catch let failure as CSVReader.Failure {
            diagnostics.error(SourceLocation(file: shown, line: failure.line, column: failure.column), failure.message,
                              hint: "fix the quoting in the export; every \" inside a quoted field must be doubled")
            summary.rowsRejected += 1
            return (Int.max, reader.linesRead)
        }
        return (reader.endOffset, reader.linesRead)
    }

    /// Two threads, one per half. The second half starts after a line end; if the first half's
    /// last record does not end exactly there (a quoted field spanned the line end), the second
    /// half's result is thrown away and the first thread reads on sequentially.
    private func readInTwo(_ path: String, _ shown: String, _ columns: FOCUSColumns, bodyStart: Int, bodyLine: Int, split: Int,
                           hashing: ContentHash.Collector?, cube: inout CostCube, summary: inout FOCUSFileSummary, diagnostics: inout Diagnostics) throws {
        final class Half: @unchecked Sendable {
            var state: State
            var summary: FOCUSFileSummary
            var diagnostics = Diagnostics()
            var end = 0, lines = 0
            var error: Error?
            /// The half's cube, once `state.finish()` ran.
            var cube: CostCube?
            init(state: State, summary: FOCUSFileSummary) { self.state = state; self.summary = summary }
        }
        let empty = FOCUSFileSummary(path: shown, bytes: 0, focusVersionHint: "")
        let first = Half(state: State(cube: cube, reader: self), summary: empty)
        let second = Half(state: State(cube: CostCube(), reader: self), summary: empty)
        // The reader is only read from both threads (its display-path closure is pure).
        final class Shared: @unchecked Sendable { let reader: FOCUSReader; init(_ r: FOCUSReader) { reader = r } }
        let me = Shared(self)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let h = i == 0 ? first : second
            do {
                (h.end, h.lines) = try me.reader.readRange(path, shown, columns, from: i == 0 ? bodyStart : split, stopAt: i == 0 ? split : nil,
                                                    firstLine: i == 0 ? bodyLine : 1, hashing: hashing, state: &h.state, summary: &h.summary, diagnostics: &h.diagnostics)
                // Each half's cells go into its cube on its own thread, unless the first half
                // has to read on (below: the split fell inside a quoted field).
                if i == 1 || h.end == split { h.cube = h.state.finish() }
            } catch { h.error = error }
        }
        if let e = first.error { throw e }
        var halves = [first]
        if first.end == split {
            if let e = second.error { throw e }
            halves.append(second)
        } else if first.end != Int.max {
            // The split fell inside a quoted field: read the rest sequentially.
            (first.end, _) = try readRange(path, shown, columns, from: first.end, stopAt: nil, firstLine: bodyLine + first.lines,
                                           hashing: hashing, state: &first.state, summary: &first.summary, diagnostics: &first.diagnostics)
        }
        cube = first.cube ?? first.state.finish()
        first.cube = nil
        diagnostics.merge(first.diagnostics)
        if halves.count == 2 {
            cube.merge(second.cube!)   // the second half always finishes on its own thread
            second.cube = nil
            // The second half counted its lines from 1.
            diagnostics.merge(second.diagnostics.shiftingLines(in: shown, by: bodyLine + first.lines - 1))
        }
        for h in halves {
            summary.rowsRead += h.summary.rowsRead; summary.rowsRejected += h.summary.rowsRejected
            summary.billedCost += h.summary.billedCost; summary.effectiveCost += h.summary.effectiveCost
            summary.listCost += h.summary.listCost; summary.rejectedBilledCost += h.summary.rejectedBilledCost
        }
    }

    /// The offset just after the first line end at or after `offset`, or nil.
    static func lineStart(after offset: Int, in path: String, size: Int) -> Int? {
        guard let file = try? FileByteSource(path: path) else { return nil }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var at = offset
        while at < size {
            let n = (try? chunk.withUnsafeMutableBytes { try file.pread(into: $0, at: at) }) ?? 0
            if n <= 0 { return nil }
            if let i = chunk[0..<n].firstIndex(of: UInt8(ascii: "\n")) { return at + i + 1 < size ? at + i + 1 : nil }
            at += n
        }
        return nil
    }

    /// Per-file ingest state: interners map bytes to the cube's table indices.
    private struct State {
        var builder: CubeBuilder
        /// Tags spellings (`CSVRecord.spelling`) to tag profiles, one table for spellings with
        /// `""` pairs still doubled and one for the rest, as a spelling means different text in each.
        var escapedTags = ByteInterner()
        var plainTags = ByteInterner()
        var profileOfEscapedTags: [Int32] = []
        var profileOfPlainTags: [Int32] = []
        let reader: FOCUSReader

        init(cube: CostCube, reader: FOCUSReader) {
            builder = CubeBuilder(cube: cube, teamTagKeys: reader.teamTagKeys, trackedResources: reader.trackedResources)
            self.reader = reader
        }

        mutating func add(_ record: borrowing CSVRecord, columns c: FOCUSColumns, summary: inout FOCUSFileSummary, diagnostics: inout Diagnostics, file: String) {
            func reject(_ column: Int, _ message: String, hint: String? = nil) {
                summary.rowsRejected += 1
                if c.billedCost >= 0, c.billedCost < record.count, !record.isNull(c.billedCost),
                   case .value(let v, _) = Amount.parse(record.bytes(c.billedCost)) {
                    summary.rejectedBilledCost += v
                }
                diagnostics.error(SourceLocation(file: file, line: record.line, column: column >= 0 ? column + 1 : nil,
                                                 columnName: column >= 0 && column < c.names.count ? c.names[column] : nil),
                                  message, hint: hint)
            }
            /// Said once per distinct value, at the first row that has it; the text keeps U+FFFD.
            func warnNotUTF8(_ column: Int) {
                diagnostics.warning(SourceLocation(file: file, line: record.line, column: column + 1, columnName: c.names[column]),
                                    "\(c.names[column]) is not valid UTF-8; the bad bytes are shown as \u{FFFD}",
                                    hint: "export the file as UTF-8")
            }
            if record.count != c.count {
                reject(-1, "the row has \(record.count) fields but the header has \(c.count)", hint: "check for an unquoted comma or a missing field")
                return
            }
            guard !record.isNull(c.chargePeriodStart), let day = periodStartDay(record.bytes(c.chargePeriodStart)) else {
                reject(c.chargePeriodStart, "ChargePeriodStart is not a date-time (YYYY-MM-DDTHH:MM:SSZ) in 1900–2200")
                return
            }
            var m = CostMeasures()
            m.rows = 1
            // The text and value of the amount read last in this row: a line item's cost columns
            // often hold the same text (billed, effective, list and contracted cost of on-demand
            // usage; consumed and pricing quantity), and comparing bytes costs a fraction of
            // parsing them. Only exact values are remembered, so a rounding warning is never lost.
            var lastText = UnsafeRawBufferPointer(start: nil, count: 0)
            var lastValue: Amount?
            func amount(_ col: Int, _ name: String, required: Bool) -> Amount? {
                if col < 0 || record.isNull(col) {
                    if required { reject(col, "\(name) is empty; FOCUS requires it on every row"); return nil }
                    return .zero
                }
                let text = record.bytes(col)
                if let lastValue, text.count == lastText.count, ShortBytes.equal(lastText.baseAddress!, text.baseAddress, text.count) {
                    return lastValue
                }
                switch Amount.parse(text) {
                case .value(let v, let rounded):
                    if rounded {
                        diagnostics.warning(SourceLocation(file: file, line: record.line, column: col + 1, columnName: name),
                                            "more than 15 decimal places; rounded to 15")
                        lastValue = nil
                    } else {
                        lastText = text
                        lastValue = v
                    }
                    return v
                case .invalid(let why):
                    reject(col, "\(name) is not a number (\(why)): \(String(decoding: record.bytes(col).prefix(40), as: UTF8.self))")
                    return nil
                }
            }
            guard let billed = amount(c.billedCost, "BilledCost", required: true),
                  let effective = amount(c.effectiveCost, "EffectiveCost", required: true),
                  let list = amount(c.listCost, "ListCost", required: false),
                  let contracted = amount(c.contractedCost, "ContractedCost", required: false),
                  let consumed = amount(c.consumedQuantity, "ConsumedQuantity", required: false),
                  let pricing = amount(c.pricingQuantity, "PricingQuantity", required: false) else { return }
            if record.isNull(c.billingCurrency) {
                reject(c.billingCurrency, "BillingCurrency is empty")
                return
            }
            m.billed = billed; m.effective = effective; m.list = list; m.contracted = contracted
            m.consumedQuantity = consumed; m.pricingQuantity = pricing

            var key = CubeKey(time: day.index)
            builder.interners.withUnsafeMutableBufferPointer { interners in
                for (d, col) in c.internedDimensions where !record.isNull(col) {
                    var repaired = false
                    key[d] = interners[d.rawValue].id(of: record.bytes(col), repaired: &repaired)
                    if repaired { warnNotUTF8(col) }
                }
            }
            if c.resourceId >= 0 && !record.isNull(c.resourceId), builder.tracked.lookup(record.bytes(c.resourceId)) != nil {
                key[.resource] = builder.interners[Dimension.resource.rawValue].id(of: record.bytes(c.resourceId))
            }
            var profile: Int32 = 0
            if c.tags >= 0 && !record.isNull(c.tags) {
                // Keyed by the spelling in the file, so the JSON's `""` pairs are only unescaped
                // for a Tags value not seen before.
                let (spelling, escaped) = record.spelling(c.tags)
                let raw = escaped ? Int(escapedTags.id(of: spelling)) : Int(plainTags.id(of: spelling))
                if raw == (escaped ? profileOfEscapedTags.count : profileOfPlainTags.count) {
                    let text = record.string(c.tags)
                    if !text.utf8.elementsEqual(record.bytes(c.tags)) { warnNotUTF8(c.tags) }
                    let p = makeProfile(text)
                    if p.malformed {
                        diagnostics.warning(SourceLocation(file: file, line: record.line, column: c.tags + 1, columnName: "Tags"),
                                            "Tags is not a JSON object; the row counts as untagged", hint: "export Tags as a JSON object such as {\"team\": \"payments\"}")
                    }
                    if escaped { profileOfEscapedTags.append(builder.internProfile(p)) } else { profileOfPlainTags.append(builder.internProfile(p)) }
                }
                profile = escaped ? profileOfEscapedTags[raw] : profileOfPlainTags[raw]
            }
            key[.tagProfile] = profile
            builder.add(daily: key, m)
            summary.billedCost += billed
            summary.effectiveCost += effective
            summary.listCost += list
            if !builder.teamTagged[Int(profile)] {
                var rk = key
                rk.time = Int32(day.month.ordinal)
                if c.resourceId >= 0 && !record.isNull(c.resourceId) { rk[.resource] = builder.interners[Dimension.resource.rawValue].id(of: record.bytes(c.resourceId)) }
                builder.add(untagged: rk, m)
            }
            nameAccount(record, .subAccount, id: key[.subAccount], nameColumn: c.subAccountName)
            nameAccount(record, .billingAccount, id: key[.billingAccount], nameColumn: c.billingAccountName)
        }

        /// The last ChargePeriodStart text read and its day: exports group line items by period,
        /// so nearly every row repeats the one before (99 % in the generated data).
        var lastPeriodStart: [UInt8] = []
        var lastPeriodStartDay: Day?

        /// The UTC day of a ChargePeriodStart, or nil if it is not a date-time.
        @inline(__always)
        mutating func periodStartDay(_ text: UnsafeRawBufferPointer) -> Day? {
            if let day = lastPeriodStartDay, text.count == lastPeriodStart.count,
               lastPeriodStart.withUnsafeBytes({ ShortBytes.equal($0.baseAddress!, text.baseAddress, text.count) }) {
                return day
            }
            let day = DateTimeParser.utcDay(text)
            if day != nil {
                lastPeriodStart.removeAll(keepingCapacity: true)
                lastPeriodStart.append(contentsOf: text)
            }
            lastPeriodStartDay = day
            return day
        }

        /// Remembers the first name seen for each account id (one String per account, not per row).
        mutating func nameAccount(_ record: borrowing CSVRecord, _ d: Dimension, id: Int32, nameColumn: Int) {
            guard nameColumn >= 0, builder.firstSight(of: d, id: id), !record.isNull(nameColumn) else { return }
            builder.name(d, id: id, record.string(nameColumn))
        }

        func makeProfile(_ text: String) -> TagProfile {
            guard let pairs = TagsParser.parse(text) else { return TagProfile(malformed: true) }
            var tags: [String: String] = [:]
            for (k, v) in pairs {
                let key = k.lowercased()
                if reader.relevantTagKeys.contains(key) && !v.isEmpty && tags[key] == nil { tags[key] = v }
            }
            return TagProfile(tags: tags)
        }

        /// The cube of everything added (see `CubeBuilder.finish`); the state is spent after this.
        mutating func finish() -> CostCube { builder.finish() }
    }
}
