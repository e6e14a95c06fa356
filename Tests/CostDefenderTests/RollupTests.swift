import Foundation
import Testing
@testable import CostDefender

/// The rollup: its reader on hand-written files, the SQL of every dialect (and its quoting of
/// hostile config values), and — with DuckDB from PyPI — the SQL run over the committed samples,
/// whose pack must equal the pack built from the line items number for number.
@Suite struct RollupTests {
    // MARK: - Helpers

    /// A cube cell in strings, so that cubes built in different orders compare.
    struct Cell: Hashable {
        var time: Int32
        var values: [String]
        var tags: [String: String]
        var malformed: Bool
    }

    static func canonical(_ cube: CostCube, _ cells: CubeCells) -> [Cell: CostMeasures] {
        var out: [Cell: CostMeasures] = [:]
        for (k, m) in cells {
            let p = cube.tags(of: k)
            let c = Cell(time: k.time, values: Dimension.allCases.filter { $0 != .tagProfile }.map { cube.value($0, of: k) }, tags: p.tags, malformed: p.malformed)
            out[c, default: CostMeasures()] += m
        }
        return out
    }

    /// Asserts that two cubes hold the same cells, resource cells and account names.
    static func expectSameCube(_ a: CostCube, _ b: CostCube, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let da = canonical(a, a.daily), db = canonical(b, b.daily)
        #expect(da.count == db.count, "daily cells: \(da.count) vs \(db.count)", sourceLocation: sourceLocation)
        for (k, m) in da where db[k] != m {
            Issue.record("daily cell \(k): \(m) vs \(String(describing: db[k]))", sourceLocation: sourceLocation)
            break
        }
        for k in db.keys where da[k] == nil {
            Issue.record("daily cell only in the second cube: \(k)", sourceLocation: sourceLocation)
            break
        }
        #expect(canonical(a, a.untaggedResources) == canonical(b, b.untaggedResources), "untagged resource cells differ", sourceLocation: sourceLocation)
        #expect(a.accountNames == b.accountNames, sourceLocation: sourceLocation)
        #expect(a.total == b.total, sourceLocation: sourceLocation)
    }

    /// A rollup row from column values; unnamed columns are empty, flags false.
    static func rollupRow(_ header: [String], _ values: [String: String]) -> String {
        header.map { name -> String in
            let v = values[name] ?? (name == "team_tagged" || name == "tags_malformed" ? "false" : "")
            return v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
        }.joined(separator: ",")
    }

    static func readFOCUS(_ path: String, _ shape: CubeShape) throws -> (CostCube, FOCUSFileSummary, Diagnostics) {
        var cube = CostCube(), d = Diagnostics()
        let s = try FOCUSReader(shape: shape).read(file: path, into: &cube, diagnostics: &d)
        return (cube, s, d)
    }

    static func readRollup(_ path: String, _ shape: CubeShape) throws -> (CostCube, FOCUSFileSummary, Diagnostics) {
        var cube = CostCube(), d = Diagnostics()
        let s = try RollupReader(matching: FOCUSReader(shape: shape)).read(file: path, into: &cube, diagnostics: &d)
        return (cube, s, d)
    }

    static let shape = CubeShape(relevantTagKeys: ["team", "product"], teamTagKeys: ["team"], trackedResources: ["i-9"])

    // MARK: - The reader

    @Test func aHandWrittenRollupGivesTheCubeOfItsLineItems() throws {
        let dir = TestFiles.tempDir()
        let tagged = "\"{\"\"Team\"\": \"\"pay\"\", \"\"product\"\": \"\"web\"\"}\""
        let focus = TestFiles.write([
            TestFiles.focusHeader,
            TestFiles.focusRow(billed: "1.5", day: "2025-01-15T00:00:00Z", resource: "i-1", tags: tagged),
            TestFiles.focusRow(billed: "2.25", effective: "2", day: "2025-01-15 10:00:00", resource: "i-2", tags: tagged),
            TestFiles.focusRow(billed: "4", day: "2025-01-16T00:00:00Z", resource: "i-9"),
            TestFiles.focusRow(billed: "-1", day: "2025-01-16T00:00:00Z", account: "222", category: "usage", resource: "i-8"),
        ].joined(separator: "\n"), to: dir + "/focus.csv")
        let header = RollupFormat.header(tagKeys: Self.shape.relevantTagKeys)
        #expect(header.suffix(2) == ["tag_product", "tag_team"])
        let common = ["provider": "AWS", "service_name": "Amazon EC2", "charge_category": "Usage", "billing_currency": "USD"]
        func row(_ v: [String: String]) -> String { Self.rollupRow(header, common.merging(v) { $1 }) }
        let rollup = TestFiles.write([
            header.joined(separator: ","),
            row(["day": "2025-01-15", "sub_account_id": "111", "sub_account_name": "Account 111", "team_tagged": "true", "tag_team": "pay", "tag_product": "web",
                 "billed_cost": "3.75", "effective_cost": "3.5", "list_cost": "3.75", "contracted_cost": "3.5", "consumed_quantity": "0", "pricing_quantity": "0", "row_count": "2"]),
            row(["day": "2025-01-16", "sub_account_id": "111", "sub_account_name": "Account 111", "resource_id": "i-9",
                 "billed_cost": "4", "effective_cost": "4.000000000000000", "list_cost": "4", "contracted_cost": "4", "consumed_quantity": "0", "pricing_quantity": "0", "row_count": "1"]),
            // Enum case drift is folded by the reader too.
            row(["day": "2025-01-16", "sub_account_id": "222", "sub_account_name": "Account 222", "charge_category": "usage", "resource_id": "i-8",
                 "billed_cost": "-1", "effective_cost": "-1", "list_cost": "-1E0", "contracted_cost": "-1", "consumed_quantity": "", "pricing_quantity": "0", "row_count": "1"]),
        ].joined(separator: "\n"), to: dir + "/rollup.csv")
        #expect(try RollupReader.isRollup(path: rollup))
        #expect(try !RollupReader.isRollup(path: focus))
        let (fc, fs, fd) = try Self.readFOCUS(focus, Self.shape)
        let (rc, rs, rd) = try Self.readRollup(rollup, Self.shape)
        #expect(fd.items.isEmpty && rd.items.isEmpty, "\(fd.items) \(rd.items)")
        Self.expectSameCube(fc, rc)
        #expect(rs.rowsRead == 4 && fs.rowsRead == 4)
        #expect(rs.billedCost == fs.billedCost && rs.effectiveCost == fs.effectiveCost && rs.listCost == fs.listCost)
        #expect(rs.focusVersionHint == "rollup")
        // The tracked resource is kept on its daily cell; untagged cost is also by resource and month.
        #expect(rc.daily.keys.contains { rc.value(.resource, of: $0) == "i-9" })
        #expect(!rc.daily.keys.contains { rc.value(.resource, of: $0) == "i-8" })
        #expect(Set(rc.untaggedResources.keys.map { rc.value(.resource, of: $0) }) == ["i-8", "i-9"])
        #expect(rc.untaggedResources.keys.allSatisfy { $0.time == Int32(Month(year: 2025, month: 1).ordinal) })
    }

    @Test func badRowsAreRejectedWithFileLineAndColumn() throws {
        let dir = TestFiles.tempDir()
        let header = RollupFormat.header(tagKeys: Self.shape.relevantTagKeys)
        let ok = ["day": "2025-01-15", "billing_currency": "USD", "billed_cost": "1", "effective_cost": "1", "row_count": "1"]
        func row(_ v: [String: String]) -> String { Self.rollupRow(header, ok.merging(v) { $1 }) }
        let path = TestFiles.write([
            header.joined(separator: ","),
            row(["day": "2025-02-30"]),                                   // line 2
            row(["billed_cost": "x"]),                                    // line 3
            row(["team_tagged": "maybe"]),                                // line 4
            row(["tag_team": "pay"]),                                     // line 5: team tag without team_tagged
            row(["row_count": "0"]),                                      // line 6
            row([:]) + ",extra",                                          // line 7
            row(["rejected_reason": "BilledCost is not a number", "billed_cost": "10", "row_count": "5", "day": ""]),  // line 8
            row(["effective_cost": ""]),                                  // line 9
            row(["billing_currency": ""]),                                // line 10
            row(["tags_malformed": "true", "tag_product": "web"]),        // line 11
            row(["billed_cost": "2.5"]),                                  // line 12: fine
        ].joined(separator: "\n"), to: dir + "/r.csv")
        let (cube, s, d) = try Self.readRollup(path, Self.shape)
        func col(_ name: String) -> Int { header.firstIndex(of: name)! + 1 }
        let text = d.errors.map(\.description)
        let expected = [
            "r.csv:2:1 (day): day is not a date",
            "r.csv:3:\(col("billed_cost")) (billed_cost): billed_cost is not a number",
            "r.csv:4:\(col("team_tagged")) (team_tagged): team_tagged is not true or false",
            "r.csv:5:\(col("team_tagged")) (team_tagged): team_tagged is false but the row has a value for the team tag keys",
            "r.csv:6:\(col("row_count")) (row_count): row_count is not a whole number",
            "r.csv:7: the row has \(header.count + 1) fields but the header has \(header.count)",
            "r.csv:8:\(col("rejected_reason")) (rejected_reason): 5 line items were rejected in the warehouse: BilledCost is not a number",
            "r.csv:9:\(col("effective_cost")) (effective_cost): effective_cost is empty",
            "r.csv:10:\(col("billing_currency")) (billing_currency): billing_currency is empty",
            "r.csv:11:\(col("tags_malformed")) (tags_malformed): tags_malformed is true but the row has tag values",
        ]
        #expect(text.count == expected.count, "\(text)")
        for e in expected { #expect(text.contains { $0.contains(e) }, "missing: \(e) in \(text)") }
        // Rows read = Σ row_count (a row whose count cannot be read counts as one).
        #expect(s.rowsRead == 15)
        #expect(s.rowsRejected == 14)
        // BilledCost of rejected rows where it reads: lines 2, 4, 5, 8 (10), 9, 10, 11.
        #expect(s.rejectedBilledCost == Amount(whole: 16))
        #expect(s.billedCost == Amount(cents: 250))
        #expect(cube.total.rows == 1)
    }

    @Test func aRollupForAnotherConfigIsRefusedOrTrimmed() throws {
        let dir = TestFiles.tempDir()
        // No column for `product`, which the config keeps: refused with what to do.
        let narrow = RollupFormat.header(tagKeys: ["team"])
        let p1 = TestFiles.write(narrow.joined(separator: ",") + "\n", to: dir + "/narrow.csv")
        #expect(try RollupReader.isRollup(path: p1))
        do {
            _ = try Self.readRollup(p1, Self.shape)
            Issue.record("a rollup without tag_product was accepted")
        } catch let e as CostDefenderError {
            #expect(e.description.contains("narrow.csv:1: the rollup has no column for tag key `product` (tag_product)"))
            #expect(e.description.contains("costdefender sql --config"))
        }
        // A fixed column missing: not a complete rollup.
        let p2 = TestFiles.write(narrow.filter { $0 != "list_cost" }.joined(separator: ",") + "\n", to: dir + "/partial.csv")
        #expect(throws: CostDefenderError.self) { try Self.readRollup(p2, Self.shape) }
        // Tag columns the config does not keep are dropped, as the FOCUS reader drops such tags.
        let wide = RollupFormat.header(tagKeys: ["team", "product", "environment"])
        let rows = ["prod", "dev"].map { env in
            Self.rollupRow(wide, ["day": "2025-01-15", "billing_currency": "USD", "billed_cost": "1", "effective_cost": "1", "row_count": "1",
                                  "team_tagged": "true", "tag_team": "pay", "tag_environment": env])
        }
        let p3 = TestFiles.write(([wide.joined(separator: ",")] + rows).joined(separator: "\n"), to: dir + "/wide.csv")
        let (cube, s, d) = try Self.readRollup(p3, Self.shape)
        #expect(d.items.isEmpty)
        #expect(s.rowsRead == 2)
        #expect(cube.daily.count == 1)
        #expect(cube.tagProfiles.map(\.tags).contains(["team": "pay"]))
    }

    @Test func tagColumnNamesEncodeAnyKey() {
        let keys = ["team", "cost-center", "aws:createdby", "it's", "a\"b", "x`y", "back\\slash", "'; drop table focus; --", "new\nline", "ünï", "a/b~c", "%41", "tag_x"]
        for k in keys {
            let column = RollupFormat.tagColumn(k)
            #expect(column.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || "_-%ABCDEF".unicodeScalars.contains($0) }, "\(column)")
            #expect(RollupFormat.tagKey(fromColumn: column) == k)
        }
        #expect(RollupFormat.tagColumn("cost-center") == "tag_cost-center")
        #expect(RollupFormat.tagColumn("it's") == "tag_it%27s")
        #expect(RollupFormat.tagKey(fromColumn: "tag_bad%G1") == nil)
        #expect(RollupFormat.tagKey(fromColumn: "day") == nil)
        #expect(RollupFormat.isRollupHeader(RollupFormat.header(tagKeys: [])))
        #expect(!RollupFormat.isRollupHeader(TestFiles.focusHeader.split(separator: ",").map(String.init)))
    }

    @Test func thePipelineReadsRollupsInPlaceOfLineItems() throws {
        let dir = TestFiles.tempDir()
        let header = RollupFormat.header(tagKeys: ["team", "owner", "team_name", "business_unit", "department", "cost-center", "project",
                                                   "product", "application", "app", "service", "environment"])
        let rollup = TestFiles.write([
            header.joined(separator: ","),
            Self.rollupRow(header, ["day": "2025-01-15", "provider": "AWS", "billing_currency": "USD", "billed_cost": "7.5", "effective_cost": "7",
                                    "row_count": "3", "team_tagged": "true", "tag_team": "pay"]),
        ].joined(separator: "\n"), to: dir + "/rollup.csv")
        let focus = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "1")].joined(separator: "\n"), to: dir + "/focus.csv")
        var config = Configuration()
        config.inputs.focus = [rollup, focus]
        config.output = dir + "/Output"
        let (cube, files, _, diagnostics) = try Pipeline(configuration: config).load()
        #expect(!diagnostics.hasErrors, "\(diagnostics.items)")
        #expect(files.map(\.focusVersionHint) == ["rollup", "1.0+"])
        #expect(files.map(\.rowsRead) == [3, 1])
        #expect(cube.total.billed == Amount(cents: 850))
        #expect(cube.total.rows == 4)
    }

    @Test func theShapeOfTheSQLIsTheShapeOfTheBuild() throws {
        // Tag keys come from team, product and mandatory tags, rules, ledger and notes scopes;
        // tracked resources from ledger scopes. The cube the pipeline builds shows which it kept.
        let dir = TestFiles.tempDir()
        let tags = "\"{\"\"team\"\": \"\"a\"\", \"\"RK\"\": \"\"1\"\", \"\"lk\"\": \"\"2\"\", \"\"nk\"\": \"\"3\"\", \"\"other\"\": \"\"4\"\", \"\"Prod\"\": \"\"5\"\", \"\"must\"\": \"\"6\"\"}\""
        let focus = TestFiles.write([TestFiles.focusHeader, TestFiles.focusRow(billed: "1", resource: "i-t", tags: tags),
                                     TestFiles.focusRow(billed: "2", resource: "i-u", tags: tags)].joined(separator: "\n"), to: dir + "/focus.csv")
        let ledger = TestFiles.write("id,title,team,owner,status,identified_on,committed_monthly,implemented_on,scope,driver\nL1,Fix,a,,identified,2025-01-01,1,,tag:LK=2; resource=i-t,\n", to: dir + "/ledger.csv")
        let notes = TestFiles.write("date,scope,text\n2025-01-15,tag:nk=3,hello\n", to: dir + "/notes.csv")
        var config = Configuration()
        config.inputs.focus = [focus]
        config.inputs.ledger = ledger
        config.inputs.notes = notes
        config.output = dir + "/Output"
        config.allocation.teamTags = ["Team"]
        config.allocation.productTags = ["prod"]
        config.mandatoryTags = ["must"]
        config.allocation.rules = [AllocationRule(conditions: [RuleCondition(field: .tag("rk"), values: ["1"])], target: .team("a"))]
        let shape = try CubeShape.load(configuration: config)
        #expect(shape.relevantTagKeys == ["team", "prod", "must", "rk", "lk", "nk"])
        #expect(shape.teamTagKeys == ["team"])
        #expect(shape.trackedResources == ["i-t"])
        let (cube, _, _, _) = try Pipeline(configuration: config).load()
        let kept = Set(cube.tagProfiles.flatMap(\.tags.keys))
        #expect(kept == shape.relevantTagKeys)
        let resources = Set(cube.daily.keys.map { cube.value(.resource, of: $0) })
        #expect(resources == ["i-t", ""])
    }

    // MARK: - The SQL

    @Test(arguments: SQLDialect.allCases)
    func everyDialectWritesTheRollupQuery(_ dialect: SQLDialect) throws {
        let shape = CubeShape(relevantTagKeys: ["team", "product", "cost-center"], teamTagKeys: ["team"], trackedResources: ["i-1", "i-2"])
        let sql = RollupSQL(dialect: dialect, shape: shape, table: "billing.focus").generate()
        let lexed = try SQLLexer.lex(sql, dialect)
        // One statement, every output column named as the rollup header, in order.
        #expect(!lexed.code.contains(";"))
        let header = RollupFormat.header(tagKeys: shape.relevantTagKeys)
        #expect(lexed.identifiers == header)
        #expect(sql.contains("FROM billing.focus\n"))
        #expect(lexed.code.contains("GROUP BY k_day, k_provider,"))
        #expect(lexed.code.contains("ORDER BY k_day NULLS FIRST"))
        // Nulls: SQL NULL, '' and the string 'NULL'.
        #expect(sql.contains("NULLIF(NULLIF(CAST(BilledCost AS \(dialect == .trino || dialect == .duckdb ? "VARCHAR" : "STRING")), ''), 'NULL')"))
        // FOCUS 1.0–1.2: ProviderName only; 1.3: ServiceProviderName first.
        #expect(lexed.code.contains("CAST(ProviderName") && !lexed.code.contains("ServiceProviderName"))
        let v13 = RollupSQL(dialect: dialect, shape: shape, serviceProviderName: true).generate()
        #expect(v13.contains("COALESCE(NULLIF(NULLIF(CAST(ServiceProviderName"))
        // Exact sums, enum folding, the date-time grammar, the tracked resources, team keys.
        #expect(lexed.code.contains(dialect == .bigquery ? "BIGNUMERIC" : "DECIMAL(38, 15)"))
        #expect(lexed.strings.contains("usage-based") && lexed.strings.contains("Usage-Based") && lexed.strings.contains("Used"))
        #expect(lexed.code.contains("UPPER(NULLIF(NULLIF(CAST(BillingCurrency"))
        #expect(lexed.strings.contains { $0.contains(RollupSQL.dateTimePattern) })
        #expect(lexed.strings.contains { $0.contains(RollupSQL.numberPattern) })
        #expect(lexed.strings.contains("i-1") && lexed.strings.contains("i-2"))
        #expect(lexed.strings.contains(RollupSQL.dateReason))
        #expect(lexed.code.contains("(c_t2 IS NOT NULL)"), "team_tagged from tag_team only")
        let fragments: [String] = switch dialect {
        case .duckdb: ["json_keys(c_tags)", "json_extract_string(c_tags, '/' ||", "list_filter(c_tag_pairs, lambda p:", "regexp_full_match(", "TRY_CAST("]
        case .trino: ["TRY(CAST(json_parse(c_tags) AS MAP(VARCHAR, JSON)))", "json_extract_scalar(", "map_filter(c_tag_map, (k, v) -> lower(k) =", "regexp_like(", "date_add('day',"]
        case .spark: ["from_json(c_tags, 'MAP<STRING, STRING>')", "try_element_at(filter(map_values(map_filter(c_tag_map", " RLIKE ", "try_cast(", "instr("]
        case .bigquery: ["SAFE.PARSE_JSON(c_tags, wide_number_mode => 'round')", "JSON_KEYS(c_tag_json, 1)", "JSON_VALUE(", "ROUND(SAFE_CAST(", "'ROUND_HALF_EVEN'", "REGEXP_CONTAINS(", "SAFE_CAST("]
        }
        for f in fragments { #expect(sql.contains(f), "\(dialect): missing \(f)") }
    }

    @Test(arguments: SQLDialect.allCases)
    func hostileTagKeysAndResourcesStayInertInTheSQL(_ dialect: SQLDialect) throws {
        let hostile = ["it's", "a\"b", "x`y", "back\\slash", "'; DROP TABLE focus; --", "new\nline; DROP TABLE focus", "*/ DROP TABLE focus /*",
                       "\\'; DROP TABLE focus; --", "tab\there", "\u{7}bell", "ünï"]
        let shape = CubeShape(relevantTagKeys: Set(hostile + ["team"]), teamTagKeys: ["team", "it's"], trackedResources: Set(hostile.map { "i-" + $0 }))
        let sql = RollupSQL(dialect: dialect, shape: shape).generate()
        let lexed = try SQLLexer.lex(sql, dialect)
        // Outside literals, identifiers and comments there is SQL of ours only.
        #expect(!lexed.code.contains(";"))
        #expect(!lexed.code.uppercased().contains("DROP"))
        #expect(!lexed.comments.joined().uppercased().contains("DROP"))
        // Every key and resource is one whole literal with exactly its text.
        for h in hostile {
            #expect(lexed.strings.contains(h), "\(dialect): key \(h.debugDescription) is not a literal")
            #expect(lexed.strings.contains("i-" + h), "\(dialect): resource \(h.debugDescription) is not a literal")
        }
        // Column names are the encoded keys, quoted.
        #expect(lexed.identifiers == RollupFormat.header(tagKeys: shape.relevantTagKeys))
        if dialect == .spark || dialect == .bigquery {
            // Control characters are escaped, never raw inside a literal.
            #expect(!sql.contains("\u{7}") && !sql.contains("\t"))
        }
    }

    // MARK: - DuckDB, end to end

    /// A Python with the `duckdb` package (`.ci/run` makes `.venv-ci`); nil skips the DuckDB tests.
    static let duckdbPython: String? = {
        guard let p = ProcessInfo.processInfo.environment["COSTDEFENDER_DUCKDB_PYTHON"], !p.isEmpty else { return nil }
        return p
    }()

    /// Runs the SQL with DuckDB over CSV line items read as text (every column VARCHAR, so that
    /// numbers reach the SQL's CAST to DECIMAL exactly as written) and writes the rollup CSV.
    static let duckdbScript = """
    import sys, duckdb
    sql_path, out_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    lit = lambda s: "'" + s.replace("'", "''") + "'"
    con = duckdb.connect()
    # Empty cells are NULL; the bare token NULL stays the text 'NULL', which the SQL treats as null.
    con.execute("CREATE VIEW focus AS SELECT * FROM read_csv([" + ", ".join(map(lit, files)) + "], header = true, all_varchar = true, "
                "union_by_name = true, delim = ',', quote = '\\"', escape = '\\"')")
    sql = open(sql_path, encoding="utf-8").read()
    con.execute("COPY (" + sql + ") TO " + lit(out_path) + " (FORMAT csv, HEADER true)")
    """

    static func runDuckDB(sql: String, files: [String], dir: String) throws -> String {
        let python = try #require(duckdbPython)
        let script = TestFiles.write(duckdbScript, to: dir + "/rollup.py")
        let sqlFile = TestFiles.write(sql, to: dir + "/rollup.sql")
        let out = dir + "/rollup.csv"
        let log = dir + "/duckdb.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, sqlFile, out] + files
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "duckdb failed: \(output)")
        return out
    }

    @Test func continuousIntegrationRunsTheDuckDBTests() {
        // `.ci/run` sets the variable; a CI run without it would skip the end-to-end tests silently.
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(Self.duckdbPython != nil, "CI must set COSTDEFENDER_DUCKDB_PYTHON (.ci/run makes .venv-ci with duckdb)")
        }
    }

    static let skipMessage: Comment = "set COSTDEFENDER_DUCKDB_PYTHON to a Python with duckdb (`.ci/run` makes .venv-ci with it) to run the DuckDB end-to-end tests"

    @Test(.enabled(if: RollupTests.duckdbPython != nil, RollupTests.skipMessage))
    func theSamplePackFromADuckDBRollupEqualsThePackFromItsLineItems() throws {
        try Self.comparePacks(config: TestFiles.repository + "/Samples/costdefender.yaml", asOf: Day(year: 2026, month: 11, day: 15), expectedRows: 90_713)
    }

    @Test(.enabled(if: RollupTests.duckdbPython != nil, RollupTests.skipMessage))
    func theRealAWSSamplePackFromADuckDBRollupEqualsThePackFromItsLineItems() throws {
        try Self.comparePacks(config: TestFiles.repository + "/Samples/aws/costdefender.yaml", asOf: nil, expectedRows: 942)
    }

    /// Builds the pack of a config from its FOCUS files and from their DuckDB rollup, and
    /// compares every file. What may differ, and why:
    /// - `input-files.csv`/`.json` and the "Input files" table of `report.md`/`report.html` list
    ///   the files read: the 23 monthly FOCUS files (FOCUS version `1.0+`, rows and sums each) in
    ///   one build, the single rollup file (version `rollup`) in the other. Their Total rows are
    ///   equal (same rows read, rejected and exact sums).
    /// - `tag-compliance*.csv`/`.json` print shares as full-precision Doubles that
    ///   `AllocationCoverage` sums in dictionary order, so their last digits differ between any
    ///   two builds (even two builds of the same line items); they must agree to 1e-12.
    static func comparePacks(config path: String, asOf: Day?, expectedRows: Int) throws {
        let dir = TestFiles.tempDir()
        var config = try ConfigurationLoader.load(path: path)
        let shape = try CubeShape.load(configuration: config)
        let files = try FOCUSReader.expand(config.inputs.focus)
        let rollup = try runDuckDB(sql: RollupSQL(dialect: .duckdb, shape: shape).generate(), files: files, dir: dir)
        #expect(try RollupReader.isRollup(path: rollup))

        config.output = dir + "/FromLineItems"
        let a = try Pipeline(configuration: config, asOf: asOf).build()
        config.output = dir + "/FromRollup"
        config.inputs.focus = [rollup]
        let b = try Pipeline(configuration: config, asOf: asOf).build()
        #expect(a.reconciliation.rowsRead == expectedRows && b.reconciliation.rowsRead == expectedRows)
        #expect(b.reconciliation.balances && b.reconciliation.rowsRejected == 0)
        #expect(a.reconciliation.inputBilled == b.reconciliation.inputBilled && a.reconciliation.inputEffective == b.reconciliation.inputEffective)
        #expect(b.reconciliation.files.count == 1 && b.reconciliation.files[0].focusVersionHint == "rollup")

        let left = dir + "/FromLineItems", right = dir + "/FromRollup"
        let la = try packFiles(left), lb = try packFiles(right)
        #expect(la == lb, "the two packs hold different files")
        #expect(la.count > 20)
        var identical = 0, normalised = 0
        for file in la where lb.contains(file) {
            let x = try Data(contentsOf: URL(fileURLWithPath: left + "/" + file))
            let y = try Data(contentsOf: URL(fileURLWithPath: right + "/" + file))
            if x == y { identical += 1; continue }
            let sx = String(decoding: x, as: UTF8.self), sy = String(decoding: y, as: UTF8.self)
            let name = (file as NSString).lastPathComponent
            normalised += 1
            switch name {
            case "report.md":
                #expect(withoutInputFileRows(markdown: sx) == withoutInputFileRows(markdown: sy), "\(file) differs beyond the input-files table")
            case "report.html":
                #expect(withoutInputFileRows(html: sx) == withoutInputFileRows(html: sy), "\(file) differs beyond the input-files table")
            case "input-files.csv":
                let totals = { (s: String) in s.split(whereSeparator: \.isNewline).filter { $0.hasSuffix(",total") || $0.hasPrefix("file,") } }
                #expect(totals(sx) == totals(sy), "\(file): totals differ")
            case "input-files.json":
                let strip = { (s: String) -> NSDictionary in
                    let o = try! JSONSerialization.jsonObject(with: Data(s.utf8)) as! [String: Any]
                    return o.filter { $0.key != "rows" } as NSDictionary
                }
                #expect(strip(sx) == strip(sy), "\(file): totals differ")
            case "tag-compliance.csv", "tag-compliance.json", "tag-compliance-by-account.csv", "tag-compliance-by-account.json":
                #expect(sameUpToFloatNoise(sx, sy), "\(file) differs beyond Double rounding")
            default:
                normalised -= 1
                let lx = sx.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline), ly = sy.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
                let line = zip(lx, ly).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(lx.count, ly.count)
                Issue.record("\(file) differs at line \(line + 1): \(line < lx.count ? String(lx[line].prefix(200)) : "<end>") vs \(line < ly.count ? String(ly[line].prefix(200)) : "<end>")")
            }
        }
        #expect(identical + normalised == la.count)
        print("RollupTests: \(path.replacingOccurrences(of: TestFiles.repository + "/", with: "")): \(la.count) files; \(identical) byte-identical, \(normalised) equal once the input-files rows (and Double noise in tag compliance) are set aside")
    }

    static func packFiles(_ root: String) throws -> [String] {
        let all = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
        return all.filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &d) && !d.boolValue }.sorted()
    }

    /// The report with the per-file rows of the "Input files" table removed (header and Total kept).
    static func withoutInputFileRows(markdown: String) -> String {
        var out: [Substring] = []
        var inFiles = false
        for line in markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.hasPrefix("#") { inFiles = line == "### Input files" }
            if inFiles && line.hasPrefix("| ") && !line.hasPrefix("| File |") && !line.hasPrefix("| **Total**") { continue }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }

    static func withoutInputFileRows(html: String) -> String {
        guard let heading = html.range(of: "<h3>Input files</h3>"),
              let body = html.range(of: "<tbody>", range: heading.upperBound..<html.endIndex),
              let end = html.range(of: "</tbody>", range: body.upperBound..<html.endIndex) else { return html }
        let rows = html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr>").filter { $0.contains("<strong>Total</strong>") }
        return String(html[..<body.upperBound]) + rows.map { "<tr>" + $0 }.joined() + String(html[end.lowerBound...])
    }

    /// Equal text, with numbers equal to a relative 1e-12.
    static func sameUpToFloatNoise(_ a: String, _ b: String) -> Bool {
        let number = try! Regex("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")
        func split(_ s: String) -> (text: [Substring], numbers: [Double]) {
            var text: [Substring] = [], numbers: [Double] = []
            var last = s.startIndex
            for m in s.matches(of: number) {
                text.append(s[last..<m.range.lowerBound]); numbers.append(Double(s[m.range])!); last = m.range.upperBound
            }
            text.append(s[last...])
            return (text, numbers)
        }
        let (ta, na) = split(a), (tb, nb) = split(b)
        guard ta == tb, na.count == nb.count else { return false }
        return zip(na, nb).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($0), abs($1)) }
    }

    @Test(.enabled(if: RollupTests.duckdbPython != nil, RollupTests.skipMessage))
    func theDuckDBQueryReadsLineItemsAsTheFOCUSReaderDoes() throws {
        // Date-time forms and offsets, NULL tokens, enum case drift, tag keys in any case and
        // hostile spellings, malformed Tags, E-notation, and rows the reader rejects.
        let dir = TestFiles.tempDir()
        let hostileKeys = ["it's", "a\"b", "x`y", "back\\slash", "semi;-- drop", "a/b~c", "new\nline"]
        let shape = CubeShape(relevantTagKeys: Set(["team", "product", "ünï"] + hostileKeys), teamTagKeys: ["team", "ünï"],
                              trackedResources: ["i-tracked", "i-'\"`x"])
        func json(_ pairs: [(String, String?)]) -> String {
            func q(_ s: String) -> String {
                "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
            }
            return "{" + pairs.map { "\(q($0.0)): \($0.1.map(q) ?? "null")" }.joined(separator: ", ") + "}"
        }
        func csv(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let header = "BilledCost,EffectiveCost,ListCost,ContractedCost,ConsumedQuantity,PricingQuantity,ChargePeriodStart,BillingCurrency,ProviderName,BillingAccountId,BillingAccountName,SubAccountId,SubAccountName,ServiceName,ServiceCategory,RegionId,ChargeCategory,ChargeClass,ChargeFrequency,PricingCategory,CommitmentDiscountId,CommitmentDiscountStatus,ResourceId,Tags"
        func row(billed: String = "1", effective: String = "1", list: String = "1", contracted: String = "1", consumed: String = "2", pricing: String = "2",
                 start: String, currency: String = "USD", category: String = "Usage", frequency: String = "Usage-Based", pricingCategory: String = "Standard",
                 status: String = "NULL", resource: String = "i-1", tags: String = "NULL") -> String {
            [billed, effective, list, contracted, consumed, pricing, start, currency, "AWS", "\"508712334190\"", "Acme", "\"111\"", "prod", "Amazon EC2", "Compute",
             "us-east-1", category, "NULL", frequency, pricingCategory, "NULL", status, resource, tags].joined(separator: ",")
        }
        let rows = [
            row(start: "2025-01-01T23:30:00-05:00", tags: csv(json([("Team", ""), ("team", "pay")]))),             // UTC 2025-01-02
            row(start: "2025-01-01 00:30:00+05:30", tags: csv(json([("TEAM", "x"), ("team", "y")]))),              // UTC 2024-12-31
            row(start: "2025-01-01T10:00", tags: csv(json([("team", nil), ("Team", "z")]))),
            row(start: "2025-01-01", resource: "i-2"),                                                             // untagged
            row(start: "2025-01-01T00:00:00.123Z", resource: "i-tracked", tags: csv("{bad")),                      // malformed
            row(start: "2025-01-01T00:00:00+0100", tags: csv("[1, 2]")),                                           // malformed, UTC 2024-12-31
            row(start: "2025-01-01T00:00:00-03", tags: csv("{\"team\": 5, \"product\": {\"a\":[1]}}")),  // nested: minified text
            row(start: "2025-01-01T01:00:00+14:00", resource: csv("i-'\"`x"), tags: csv(json(hostileKeys.enumerated().map { ($0.element, "v\($0.offset)") } + [("team", "t")]))),
            row(billed: "1.2E-5", effective: "+3", list: ".5", contracted: "-0.000000000000001", consumed: "5.", pricing: "NULL", start: "2025-01-02T00:00:00Z",
                tags: csv(json([("ÜNÏ", "u")]))),
            row(billed: "0.1234567890123456789", start: "2025-01-02T00:00:00Z", currency: "usd", category: "usage", frequency: "USAGE-BASED",
                pricingCategory: "committed", status: "used", resource: "i-3", tags: csv("{}")),
            row(billed: "", start: "2025-01-02T12:00:00Z", resource: "NULL"),                                       // rejected: BilledCost empty
            row(billed: "7", start: "2025-02-30T00:00:00Z"),                                                        // rejected: no such day
            row(billed: "abc", start: "2025-01-02T00:00:00Z"),                                                      // rejected
            row(billed: "2", effective: "", start: "2025-01-02T00:00:00Z"),                                         // rejected
            row(billed: "3", start: "2025-01-02T00:00:00Z", currency: "NULL"),                                      // rejected
            row(billed: "4", list: "\"1,5\"", start: "2025-01-02T00:00:00Z"),                                       // rejected
            row(billed: "5", start: "2025-01-01T24:00:00Z"),                                                        // rejected
            row(billed: "6", start: "1899-12-31T00:00:00Z"),                                                        // rejected
            row(billed: "1e30", start: "2025-01-02T00:00:00Z"),                                                     // rejected: out of range
        ]
        let focus = TestFiles.write(([header] + rows).joined(separator: "\n") + "\n", to: dir + "/focus.csv")
        let rollup = try Self.runDuckDB(sql: RollupSQL(dialect: .duckdb, shape: shape).generate(), files: [focus], dir: dir)
        let (fc, fs, fd) = try Self.readFOCUS(focus, shape)
        let (rc, rs, rd) = try Self.readRollup(rollup, shape)
        Self.expectSameCube(fc, rc)
        #expect(fs.rowsRead == rows.count && rs.rowsRead == rows.count)
        #expect(fs.rowsRejected == 9 && rs.rowsRejected == 9, "\(fs.rowsRejected) \(rs.rowsRejected) \(rd.errors)")
        #expect(fs.rejectedBilledCost == rs.rejectedBilledCost)
        #expect(fs.billedCost == rs.billedCost && fs.effectiveCost == rs.effectiveCost && fs.listCost == rs.listCost)
        #expect(fd.errors.count == 9)
        #expect(rd.errors.map(\.message).contains { $0.contains("rejected in the warehouse: ChargePeriodStart is not a date-time") })
        // Both report the malformed Tags.
        #expect(fd.warnings.filter { $0.message.contains("Tags is not a JSON object") }.count == 2)
        #expect(rd.warnings.contains { $0.message.contains("Tags is not a JSON object on 1 line item") })
        // Spot checks of what the cube holds.
        let days = Set(rc.daily.keys.map { Day(index: $0.time).description })
        #expect(days == ["2024-12-31", "2025-01-01", "2025-01-02"])
        let tagValues = Set(rc.tagProfiles.flatMap { $0.tags.map { "\($0.key)=\($0.value)" } })
        for expected in ["team=pay", "team=x", "team=z", "team=5", "product={\"a\":[1]}", "ünï=u", "it's=v0", "a\"b=v1", "new\nline=v6"] {
            #expect(tagValues.contains(expected), "\(expected) not in \(tagValues)")
        }
        #expect(rc.daily.keys.contains { rc.value(.resource, of: $0) == "i-'\"`x" })
    }
}

/// Splits SQL into its code, string literals, quoted identifiers and comments, by the rules of
/// each dialect, so a test can tell what a hostile value became.
enum SQLLexer {
    struct Unterminated: Error { var at: Int }

    static func lex(_ sql: String, _ dialect: SQLDialect) throws -> (code: String, strings: [String], identifiers: [String], comments: [String]) {
        let s = Array(sql.unicodeScalars)
        var code = String.UnicodeScalarView(), strings: [String] = [], identifiers: [String] = [], comments: [String] = []
        let standard = dialect == .trino || dialect == .duckdb
        var i = 0
        func quoted(_ close: Unicode.Scalar, backslash: Bool) throws -> String {
            var out = String.UnicodeScalarView()
            i += 1
            while i < s.count {
                let c = s[i]
                if backslash && c == "\\" {
                    guard i + 1 < s.count else { throw Unterminated(at: i) }
                    let e = s[i + 1]
                    i += 2
                    switch e {
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "t": out.append("\t")
                    case "u":
                        guard i + 4 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + 4)])), radix: 16), let u = Unicode.Scalar(v) else { throw Unterminated(at: i) }
                        out.append(u); i += 4
                    default: out.append(e)
                    }
                    continue
                }
                if c == close {
                    if !backslash && i + 1 < s.count && s[i + 1] == close { out.append(close); i += 2; continue }
                    i += 1
                    return String(out)
                }
                out.append(c)
                i += 1
            }
            throw Unterminated(at: i)
        }
        while i < s.count {
            let c = s[i]
            if c == "-" && i + 1 < s.count && s[i + 1] == "-" {
                var j = i
                while j < s.count && s[j] != "\n" { j += 1 }
                comments.append(String(String.UnicodeScalarView(s[i..<j])))
                i = j
            } else if c == "/" && i + 1 < s.count && s[i + 1] == "*" {
                var j = i + 2
                while j + 1 < s.count && !(s[j] == "*" && s[j + 1] == "/") { j += 1 }
                guard j + 1 < s.count else { throw Unterminated(at: i) }
                comments.append(String(String.UnicodeScalarView(s[i...(j + 1)])))
                i = j + 2
            } else if c == "'" {
                strings.append(try quoted("'", backslash: !standard))
                code.append(contentsOf: "'?'".unicodeScalars)
            } else if c == "\"" {
                if standard { identifiers.append(try quoted("\"", backslash: false)) } else { strings.append(try quoted("\"", backslash: true)) }
                code.append(contentsOf: "\"?\"".unicodeScalars)
            } else if c == "`" && !standard {
                identifiers.append(try quoted("`", backslash: dialect == .bigquery))
                code.append(contentsOf: "`?`".unicodeScalars)
            } else {
                code.append(c)
                i += 1
            }
        }
        return (String(code), strings, identifiers, comments)
    }
}
