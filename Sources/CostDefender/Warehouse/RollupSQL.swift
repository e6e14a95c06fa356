/// The SQL engines `costdefender sql` writes for.
public enum SQLDialect: String, CaseIterable, Sendable {
    /// Trino, and Amazon Athena (engine version 3).
    case trino
    /// Spark SQL 3.3 or later (Databricks, EMR, Glue).
    case spark
    /// Google BigQuery (GoogleSQL).
    case bigquery
    /// DuckDB 1.3 or later.
    case duckdb
}

/// Writes one SELECT statement that aggregates a table of FOCUS line items into the rollup
/// format (`RollupFormat`), in a warehouse, so that only the rollup crosses the network.
///
/// The statement parses every column from its text, as the FOCUS reader parses CSV text: nulls
/// are SQL NULL, the empty string and the string `NULL`; ChargePeriodStart is read with the
/// reader's grammar (date, optional time, `Z` or `±HH:MM` offset) and converted to the UTC day;
/// numbers are checked against the reader's grammar and summed as DECIMAL(38, 15); enum columns
/// are folded to their FOCUS spelling; tag keys are matched case-insensitively, the first key in
/// the object with a non-empty value winning. Rows the FOCUS reader would reject come out as
/// rows with a `rejected_reason`. Everything from the config (tag keys, resource ids) enters the
/// SQL only as escaped string literals; column names are encoded to `[a-z0-9_%-]`
/// (`RollupFormat.tagColumn`) and quoted.
public struct RollupSQL: Sendable {
    public var dialect: SQLDialect
    public var shape: CubeShape
    /// The table (or any relation expression) holding the FOCUS line items, written as given.
    public var table: String
    /// FOCUS 1.3 names the provider `ServiceProviderName` (`ProviderName` is deprecated); the
    /// SQL then takes `COALESCE(ServiceProviderName, ProviderName)`. Earlier versions have only
    /// `ProviderName`. One FOCUS version per table.
    public var serviceProviderName: Bool

    public init(dialect: SQLDialect, shape: CubeShape, table: String = "focus", serviceProviderName: Bool = false) {
        self.dialect = dialect
        self.shape = shape
        self.table = table
        self.serviceProviderName = serviceProviderName
    }

    /// Why a line item whose ChargePeriodStart the FOCUS reader would not read is rejected.
    static let dateReason = "ChargePeriodStart is not a date-time (YYYY-MM-DDTHH:MM:SSZ) in 1900–2200"

    /// The date-time grammar of the FOCUS reader (plus ` UTC`, how Trino writes a zoned timestamp).
    static let dateTimePattern = "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z| UTC|[+-][0-9]{2}(:?[0-9]{2})?)?)?"
    /// The number grammar of `Amount.parse`: sign, digits with one optional point, optional exponent.
    static let numberPattern = "[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?"

    /// The SQL text: comments, then one SELECT statement, no trailing semicolon.
    public func generate() -> String {
        let q = Quoting(dialect)
        let keys = shape.relevantTagKeys.sorted()
        let teamKeys = keys.indices.filter { shape.teamTagKeys.contains(keys[$0]) }
        let header = RollupFormat.header(tagKeys: shape.relevantTagKeys)
        var lines: [String] = []
        lines.append("-- CostDefender \(Pipeline.version): FOCUS line items → rollup (docs/rollup.md), dialect \(dialect.rawValue).")
        lines.append("-- Export the result as CSV with its header; `costdefender build --focus ROLLUP.csv` reads it.")
        lines.append("-- Columns: \(header.joined(separator: ", "))")
        lines.append("-- Made for \(keys.count) tag key\(keys.count == 1 ? "" : "s") (\(teamKeys.count) naming a team) and \(shape.trackedResources.count) tracked resource\(shape.trackedResources.count == 1 ? "" : "s"); generate it again when the config's tags or the ledger's resources change.")
        switch dialect {
        case .spark:
            lines.append("-- Spark: run with spark.sql.mapKeyDedupPolicy=LAST_WIN when a Tags object can repeat a key, and with")
            lines.append("-- spark.sql.session.timeZone=UTC when ChargePeriodStart is a TIMESTAMP column.")
        case .bigquery:
            lines.append("-- BigQuery: Tags must be a STRING column holding JSON text.")
        case .trino, .duckdb:
            break
        }

        // 1. Every used column as nullable text.
        func col(_ name: String) -> String { "NULLIF(NULLIF(CAST(\(name) AS \(q.text)), ''), 'NULL')" }
        let provider = serviceProviderName ? "COALESCE(\(col("ServiceProviderName")), \(col("ProviderName")))" : col("ProviderName")
        let source: [(String, String)] = [
            ("c_cps", col("ChargePeriodStart")),
            ("c_billed_text", col("BilledCost")), ("c_effective_text", col("EffectiveCost")), ("c_list_text", col("ListCost")),
            ("c_contracted_text", col("ContractedCost")), ("c_consumed_text", col("ConsumedQuantity")), ("c_pricing_text", col("PricingQuantity")),
            ("c_provider", provider),
            ("c_billing_account_id", col("BillingAccountId")), ("c_billing_account_name", col("BillingAccountName")),
            ("c_sub_account_id", col("SubAccountId")), ("c_sub_account_name", col("SubAccountName")),
            ("c_service_name", col("ServiceName")), ("c_service_category", col("ServiceCategory")), ("c_region_id", col("RegionId")),
            ("c_charge_category", fold(col("ChargeCategory"), .chargeCategory, q)),
            ("c_charge_class", fold(col("ChargeClass"), .chargeClass, q)),
            ("c_charge_frequency", fold(col("ChargeFrequency"), .chargeFrequency, q)),
            ("c_pricing_category", fold(col("PricingCategory"), .pricingCategory, q)),
            ("c_commitment_discount_id", col("CommitmentDiscountId")),
            ("c_commitment_discount_status", fold(col("CommitmentDiscountStatus"), .commitmentStatus, q)),
            ("c_billing_currency", "UPPER(\(col("BillingCurrency")))"),
            ("c_resource_id", col("ResourceId")),
            ("c_tags", col("Tags")),
        ]

        // 2. The pieces of ChargePeriodStart, the numbers as read, the parsed Tags.
        let tail = "SUBSTR(c_cps, 17)" // after YYYY-MM-DDTHH:MM: seconds, fraction, zone
        let signPosition = "GREATEST(\(q.strpos(tail, "'+'")), \(q.strpos(tail, "'-'")))"
        var parsed: [(String, String)] = [
            ("c_local_date", "CASE WHEN \(q.matches("c_cps", Self.dateTimePattern)) THEN \(q.tryDate("SUBSTR(c_cps, 1, 10)")) END"),
            ("c_hh", q.tryInt("SUBSTR(c_cps, 12, 2)")),
            ("c_mm", q.tryInt("SUBSTR(c_cps, 15, 2)")),
            ("c_ss", "CASE WHEN SUBSTR(\(tail), 1, 1) = ':' THEN \(q.tryInt("SUBSTR(\(tail), 2, 2)")) ELSE 0 END"),
            ("c_offset", "CASE WHEN \(signPosition) > 0 THEN SUBSTR(\(tail), \(signPosition)) END"),
        ]
        for (name, _) in Self.measures {
            parsed.append(("\(name)_read", "CASE WHEN \(q.matches("\(name)_text", Self.numberPattern)) THEN \(q.decimal("\(name)_text")) END"))
        }
        parsed.append(contentsOf: q.tagParse("c_tags"))

        // 3. The zone offset (±HH:MM, ±HHMM or ±HH) and the numbers within ±10²² (as `Amount.parse`).
        var values: [(String, String)] = [
            ("c_offset_sign", "CASE WHEN SUBSTR(c_offset, 1, 1) = '-' THEN -1 ELSE 1 END"),
            ("c_oh", "CASE WHEN c_offset IS NULL THEN 0 ELSE \(q.tryInt("SUBSTR(c_offset, 2, 2)")) END"),
            ("c_om", "CASE WHEN LENGTH(c_offset) = 6 THEN \(q.tryInt("SUBSTR(c_offset, 5, 2)")) WHEN LENGTH(c_offset) = 5 THEN \(q.tryInt("SUBSTR(c_offset, 4, 2)")) ELSE 0 END"),
        ]
        for (name, _) in Self.measures {
            values.append((name, "CASE WHEN ABS(\(name)_read) <= \(q.decimalLiteral("10000000000000000000000")) THEN \(name)_read END"))
        }

        // 4. The UTC day (a date alone is that day; else the local day moved by the offset), the
        // tag values, whether Tags is malformed.
        let utcMinutes = "c_hh * 60 + c_mm - c_offset_sign * (c_oh * 60 + c_om)"
        let dayValid = "c_local_date IS NOT NULL AND SUBSTR(c_cps, 1, 4) BETWEEN '1900' AND '2200' AND (LENGTH(c_cps) = 10 OR (c_hh <= 23 AND c_mm <= 59 AND c_ss <= 60 AND c_oh <= 14 AND c_om <= 59))"
        let shift = "CASE WHEN LENGTH(c_cps) = 10 THEN 0 WHEN \(utcMinutes) < 0 THEN -1 WHEN \(utcMinutes) >= 1440 THEN 1 ELSE 0 END"
        var derived: [(String, String)] = [
            ("c_day", "CASE WHEN \(dayValid) THEN CAST(\(q.addDays("c_local_date", shift)) AS \(q.text)) END"),
        ]
        for (i, key) in keys.enumerated() {
            derived.append(("c_t\(i)", q.tagValue(key: key)))
        }
        derived.append(("c_tags_malformed", q.tagsMalformed("c_tags")))

        // 5. The reason a row is rejected, checked in the FOCUS reader's order.
        var reasons: [(String, String)] = [("c_day IS NULL", Self.dateReason)]
        for (name, label) in Self.measures {
            if label == "BilledCost" || label == "EffectiveCost" {
                reasons.append(("\(name)_text IS NULL", "\(label) is empty; FOCUS requires it on every row"))
            }
            reasons.append(("\(name)_text IS NOT NULL AND \(name) IS NULL", "\(label) is not a number"))
        }
        reasons.append(("c_billing_currency IS NULL", "BillingCurrency is empty"))
        let reasonExpression = "CASE " + reasons.map { "WHEN \($0.0) THEN \(q.string($0.1))" }.joined(separator: " ") + " END"

        // 6. The cell of each line item; rejected items keep only their reason and BilledCost.
        let teamTagged = teamKeys.isEmpty ? "FALSE" : "(" + teamKeys.map { "c_t\($0) IS NOT NULL" }.joined(separator: " OR ") + ")"
        let trackedList = shape.trackedResources.sorted().map(q.string)
        let tracked = trackedList.isEmpty ? "FALSE" : "COALESCE(c_resource_id IN (\(trackedList.joined(separator: ", "))), FALSE)"
        func keep(_ e: String) -> String { "CASE WHEN c_rejected_reason IS NULL THEN \(e) END" }
        var cells: [(String, String)] = [("k_day", keep("c_day"))]
        for name in ["provider", "billing_account_id", "billing_account_name", "sub_account_id", "sub_account_name", "service_name",
                     "service_category", "region_id", "charge_category", "charge_class", "charge_frequency", "pricing_category",
                     "commitment_discount_id", "commitment_discount_status", "billing_currency"] {
            cells.append(("k_\(name)", keep("c_\(name)")))
        }
        cells.append(("k_resource_id", keep("CASE WHEN \(tracked) OR NOT \(teamTagged) THEN c_resource_id END")))
        cells.append(("k_team_tagged", "CASE WHEN c_rejected_reason IS NULL AND \(teamTagged) THEN 'true' ELSE 'false' END"))
        cells.append(("k_tags_malformed", "CASE WHEN c_rejected_reason IS NULL AND c_tags_malformed THEN 'true' ELSE 'false' END"))
        cells.append(("k_rejected_reason", "c_rejected_reason"))
        for i in keys.indices { cells.append(("k_t\(i)", keep("c_t\(i)"))) }
        cells.append(("m_billed", "COALESCE(c_billed, \(q.zero))"))
        for (name, _) in Self.measures.dropFirst() {
            cells.append(("m_\(name.dropFirst(2))", "CASE WHEN c_rejected_reason IS NULL THEN COALESCE(\(name), \(q.zero)) ELSE \(q.zero) END"))
        }

        // 7. The rollup.
        let groupKeys = cells.map(\.0).filter { $0.hasPrefix("k_") }
        var select: [String] = []
        for name in RollupFormat.fixedColumns {
            switch name {
            case "billed_cost": select.append("CAST(SUM(m_billed) AS \(q.text)) AS \(q.identifier(name))")
            case "effective_cost": select.append("CAST(SUM(m_effective) AS \(q.text)) AS \(q.identifier(name))")
            case "list_cost": select.append("CAST(SUM(m_list) AS \(q.text)) AS \(q.identifier(name))")
            case "contracted_cost": select.append("CAST(SUM(m_contracted) AS \(q.text)) AS \(q.identifier(name))")
            case "consumed_quantity": select.append("CAST(SUM(m_consumed) AS \(q.text)) AS \(q.identifier(name))")
            case "pricing_quantity": select.append("CAST(SUM(m_pricing) AS \(q.text)) AS \(q.identifier(name))")
            case "row_count": select.append("CAST(COUNT(*) AS \(q.text)) AS \(q.identifier(name))")
            default: select.append("k_\(name) AS \(q.identifier(name))")
            }
        }
        for (i, key) in keys.enumerated() { select.append("k_t\(i) AS \(q.identifier(RollupFormat.tagColumn(key)))") }

        func cte(_ name: String, _ columns: [(String, String)], from: String, star: Bool) -> String {
            let body = (star ? ["*"] : []) + columns.map { "    \($0.1) AS \($0.0)" }
            return "\(name) AS (\n  SELECT\n" + body.map { $0 == "*" ? "    *" : $0 }.joined(separator: ",\n") + "\n  FROM \(from)\n)"
        }
        lines.append("WITH")
        lines.append([
            cte("rollup_source", source, from: table, star: false),
            cte("rollup_parsed", parsed, from: "rollup_source", star: true),
            cte("rollup_values", values, from: "rollup_parsed", star: true),
            cte("rollup_derived", derived, from: "rollup_values", star: true),
            cte("rollup_checked", [("c_rejected_reason", reasonExpression)], from: "rollup_derived", star: true),
            cte("rollup_cells", cells, from: "rollup_checked", star: false),
        ].joined(separator: ",\n"))
        lines.append("SELECT")
        lines.append(select.map { "  " + $0 }.joined(separator: ",\n"))
        lines.append("FROM rollup_cells")
        lines.append("GROUP BY " + groupKeys.joined(separator: ", "))
        lines.append("ORDER BY " + groupKeys.map { "\($0) NULLS FIRST" }.joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The measures: column in the parsed CTE, FOCUS name.
    static let measures: [(String, String)] = [
        ("c_billed", "BilledCost"), ("c_effective", "EffectiveCost"), ("c_list", "ListCost"),
        ("c_contracted", "ContractedCost"), ("c_consumed", "ConsumedQuantity"), ("c_pricing", "PricingQuantity"),
    ]

    /// Folds the case of a FOCUS enum column to its spec spelling, as `FOCUSColumns.canonicaliser`.
    func fold(_ e: String, _ d: Dimension, _ q: Quoting) -> String {
        guard let values = FOCUSColumns.canonicalValues[d] else { return e }
        return "CASE LOWER(\(e)) " + values.map { "WHEN \(q.string($0.lowercased())) THEN \(q.string($0))" }.joined(separator: " ") + " ELSE \(e) END"
    }
}

/// Literals, identifiers and the few functions whose spelling differs between dialects.
struct Quoting {
    let dialect: SQLDialect
    init(_ d: SQLDialect) { dialect = d }

    var text: String { dialect == .trino || dialect == .duckdb ? "VARCHAR" : "STRING" }
    var zero: String { dialect == .bigquery ? "CAST(0 AS BIGNUMERIC)" : "CAST(0 AS DECIMAL(38, 15))" }

    /// A string literal holding exactly `s`.
    func string(_ s: String) -> String {
        switch dialect {
        case .trino, .duckdb:
            // Standard SQL: only the quote is special; it is doubled.
            return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .spark, .bigquery:
            // Backslash escapes; adjacent literals concatenate in Spark, so '' would not escape.
            var out = "'"
            for u in s.unicodeScalars {
                switch u {
                case "\\": out += "\\\\"
                case "'": out += "\\'"
                case "\"": out += "\\\""
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if u.value < 0x20 || u.value == 0x7F {
                        let hex = String(u.value, radix: 16, uppercase: true)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(u)
                    }
                }
            }
            return out + "'"
        }
    }

    /// A quoted identifier (column alias).
    func identifier(_ s: String) -> String {
        switch dialect {
        case .trino, .duckdb: return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .spark: return "`" + s.replacingOccurrences(of: "`", with: "``") + "`"
        case .bigquery: return "`" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
        }
    }

    /// Whether the whole of `e` matches `pattern` (which holds no quote or backslash).
    func matches(_ e: String, _ pattern: String) -> String {
        switch dialect {
        case .duckdb: return "regexp_full_match(\(e), \(string(pattern)))"
        case .trino: return "regexp_like(\(e), \(string("^(" + pattern + ")$")))"
        case .spark: return "(\(e) RLIKE \(string("^(" + pattern + ")$")))"
        case .bigquery: return "REGEXP_CONTAINS(\(e), \(string("^(" + pattern + ")$")))"
        }
    }

    func tryCast(_ e: String, _ type: String) -> String {
        switch dialect {
        case .trino, .duckdb: return "TRY_CAST(\(e) AS \(type))"
        case .spark: return "try_cast(\(e) AS \(type))"
        case .bigquery: return "SAFE_CAST(\(e) AS \(type))"
        }
    }

    func tryInt(_ e: String) -> String { tryCast(e, dialect == .bigquery ? "INT64" : "INTEGER") }
    func tryDate(_ e: String) -> String { tryCast(e, "DATE") }

    /// Exact DECIMAL(38, 15) of decimal text, NULL when it cannot be read. BigQuery reads it as
    /// BIGNUMERIC and rounds half to even to 15 places (as the FOCUS reader); the others cast,
    /// rounding an exact tie in the 16th place away from zero.
    func decimal(_ e: String) -> String {
        dialect == .bigquery ? "ROUND(SAFE_CAST(\(e) AS BIGNUMERIC), 15, 'ROUND_HALF_EVEN')" : tryCast(e, "DECIMAL(38, 15)")
    }

    func decimalLiteral(_ digits: String) -> String {
        dialect == .bigquery ? "CAST('\(digits)' AS BIGNUMERIC)" : "CAST('\(digits)' AS DECIMAL(38, 15))"
    }

    func strpos(_ s: String, _ sub: String) -> String {
        dialect == .spark ? "instr(\(s), \(sub))" : "STRPOS(\(s), \(sub))"
    }

    func addDays(_ date: String, _ days: String) -> String {
        switch dialect {
        case .duckdb: return "(\(date) + (\(days)))"
        case .trino: return "date_add('day', \(days), \(date))"
        case .spark: return "date_add(\(date), \(days))"
        case .bigquery: return "DATE_ADD(\(date), INTERVAL (\(days)) DAY)"
        }
    }

    /// Columns that parse the Tags text once per row.
    func tagParse(_ tags: String) -> [(String, String)] {
        switch dialect {
        case .duckdb:
            // The keys in text order, each with its value (JSON Pointer, so any key is addressed).
            let object = "CASE WHEN json_valid(\(tags)) THEN json_type(\(tags)) = 'OBJECT' ELSE FALSE END"
            return [("c_tags_object", "COALESCE(\(object), FALSE)"),
                    ("c_tag_pairs", "CASE WHEN \(object) THEN list_transform(json_keys(\(tags)), lambda k: {'k': lower(k), 'v': json_extract_string(\(tags), '/' || replace(replace(k, '~', '~0'), '/', '~1'))}) END")]
        case .trino:
            return [("c_tag_json", "TRY(json_parse(\(tags)))"),
                    ("c_tag_map", "TRY(CAST(json_parse(\(tags)) AS MAP(VARCHAR, JSON)))")]
        case .spark:
            return [("c_tag_map", "from_json(\(tags), 'MAP<STRING, STRING>')")]
        case .bigquery:
            return [("c_tag_json", "SAFE.PARSE_JSON(\(tags), wide_number_mode => 'round')")]
        }
    }

    /// Whether a non-null Tags cell is not a JSON object.
    func tagsMalformed(_ tags: String) -> String {
        switch dialect {
        case .duckdb: return "(\(tags) IS NOT NULL AND NOT c_tags_object)"
        case .trino: return "(\(tags) IS NOT NULL AND COALESCE(NOT starts_with(json_format(c_tag_json), '{'), TRUE))"
        case .spark: return "(\(tags) IS NOT NULL AND c_tag_map IS NULL)"
        case .bigquery: return "(\(tags) IS NOT NULL AND COALESCE(JSON_TYPE(c_tag_json) <> 'object', TRUE))"
        }
    }

    /// The value of the first key equal to `key` ignoring case whose value is not null or empty.
    func tagValue(key: String) -> String {
        let k = string(key)
        switch dialect {
        case .duckdb:
            return "list_filter(c_tag_pairs, lambda p: p.k = \(k) AND p.v IS NOT NULL AND p.v <> '')[1].v"
        case .trino:
            let text = "COALESCE(json_extract_scalar(v, '$'), CASE WHEN json_format(v) <> 'null' THEN json_format(v) END)"
            let fromMap = "element_at(filter(map_values(transform_values(map_filter(c_tag_map, (k, v) -> lower(k) = \(k)), (k, v) -> \(text))), x -> x IS NOT NULL AND x <> ''), 1)"
            // An object repeating a key cannot become a MAP: then only the key in lower case is found.
            let safeKey = key.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || "_-:. /@+=".unicodeScalars.contains($0) }
            guard safeKey else { return fromMap }
            return "CASE WHEN c_tag_map IS NOT NULL THEN \(fromMap) ELSE NULLIF(json_extract_scalar(c_tag_json, \(string("$[\"" + key + "\"]"))), '') END"
        case .spark:
            return "try_element_at(filter(map_values(map_filter(c_tag_map, (k, v) -> lower(k) = \(k))), x -> x IS NOT NULL AND x <> ''), 1)"
        case .bigquery:
            // JSON_KEYS lists the keys sorted and without repeats; the first sorted spelling with a value wins.
            let value = "CASE WHEN JSON_TYPE(c_tag_json[tag_key]) IN ('object', 'array') THEN TO_JSON_STRING(c_tag_json[tag_key]) ELSE JSON_VALUE(c_tag_json[tag_key]) END"
            return "CASE WHEN JSON_TYPE(c_tag_json) = 'object' THEN (SELECT tag_value FROM (SELECT tag_position, \(value) AS tag_value FROM UNNEST(JSON_KEYS(c_tag_json, 1)) AS tag_key WITH OFFSET AS tag_position WHERE LOWER(tag_key) = \(k)) WHERE tag_value IS NOT NULL AND tag_value <> '' ORDER BY tag_position LIMIT 1) END"
        }
    }
}
