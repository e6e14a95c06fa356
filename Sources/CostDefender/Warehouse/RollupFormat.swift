import Foundation

/// The rollup format: FOCUS line items aggregated in a warehouse to exactly the cells of the
/// daily cost cube, written as CSV. `RollupSQL` writes the SQL that produces it and
/// `RollupReader` loads it; both take the column list from here. Documented in docs/rollup.md.
///
/// One row per day × provider × billing account (+ name) × sub-account (+ name) × service ×
/// service category × region × charge category × class × frequency × pricing category ×
/// commitment discount × commitment status × currency × resource (tracked resources, and every
/// row without a team tag; else empty) × the values of the kept tag keys × the `team_tagged` and
/// `tags_malformed` flags, with exact sums of the six measures and the number of line items.
/// Line items the warehouse found unusable come as rows with a `rejected_reason` and only their
/// count and parseable BilledCost, so that rejected rows are reported as from line items.
public enum RollupFormat {
    /// The fixed columns and the cube dimension each one fills (nil: not a dimension).
    public static let dimensionColumns: [(name: String, dimension: Dimension)] = [
        ("provider", .provider),
        ("billing_account_id", .billingAccount),
        ("sub_account_id", .subAccount),
        ("service_name", .service),
        ("service_category", .serviceCategory),
        ("region_id", .region),
        ("charge_category", .chargeCategory),
        ("charge_class", .chargeClass),
        ("charge_frequency", .chargeFrequency),
        ("pricing_category", .pricingCategory),
        ("commitment_discount_id", .commitmentDiscount),
        ("commitment_discount_status", .commitmentStatus),
        ("billing_currency", .currency),
        ("resource_id", .resource),
    ]

    public static let measureColumns = ["billed_cost", "effective_cost", "list_cost", "contracted_cost", "consumed_quantity", "pricing_quantity"]

    /// Every fixed column, in the order the SQL writes them; the `tag_…` columns follow.
    public static let fixedColumns: [String] = [
        "day", "provider", "billing_account_id", "billing_account_name", "sub_account_id", "sub_account_name",
        "service_name", "service_category", "region_id", "charge_category", "charge_class", "charge_frequency",
        "pricing_category", "commitment_discount_id", "commitment_discount_status", "billing_currency", "resource_id",
        "team_tagged", "tags_malformed",
    ] + measureColumns + ["row_count", "rejected_reason"]

    /// Columns that only a rollup has; a header holding all of them is a rollup header.
    static let signature = ["day", "team_tagged", "row_count"]

    public static let tagPrefix = "tag_"

    /// Whether a CSV header is a rollup header (rather than FOCUS line items).
    public static func isRollupHeader(_ header: [String]) -> Bool {
        let names = Set(header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        return signature.allSatisfy(names.contains)
    }

    /// `tag_` + the lowercased tag key, every byte other than `a`–`z`, `0`–`9`, `_` and `-` written
    /// as `%XX`, so that a column name is a plain identifier in every SQL dialect whatever the key.
    public static func tagColumn(_ key: String) -> String {
        var out = tagPrefix
        for b in key.utf8 {
            if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D {
                out.append(Character(Unicode.Scalar(b)))
            } else {
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
            }
        }
        return out
    }

    /// The tag key of a `tag_…` column name, or nil when the name is not one (or is mis-encoded).
    public static func tagKey(fromColumn name: String) -> String? {
        let lower = name.trimmingCharacters(in: .whitespaces)
        guard lower.lowercased().hasPrefix(tagPrefix) else { return nil }
        let body = Array(lower.utf8.dropFirst(tagPrefix.utf8.count))
        guard !body.isEmpty else { return nil }
        var bytes: [UInt8] = []
        var i = 0
        while i < body.count {
            if body[i] == UInt8(ascii: "%") {
                guard i + 2 < body.count, let v = UInt8(String(decoding: body[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                i += 3
            } else {
                // A header written by hand may use upper case; keys are lowercase.
                let b = body[i]
                bytes.append(b >= 0x41 && b <= 0x5A ? b + 32 : b)
                i += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The whole header for these tag keys (sorted, so the same config gives the same header).
    public static func header(tagKeys: Set<String>) -> [String] {
        fixedColumns + tagKeys.sorted().map(tagColumn)
    }
}

extension CubeShape {
    /// The shape a build with this configuration reads with. Reads the business inputs as a build
    /// does (ledger and notes scopes add tag keys and tracked resources); throws on their errors.
    public static func load(configuration: Configuration, displayPath: @escaping (String) -> String = { $0 }) throws -> CubeShape {
        var diagnostics = Diagnostics()
        let business = try BusinessInputsLoader(calendar: FiscalCalendar(startMonth: configuration.fiscalYearStartMonth), displayPath: displayPath)
            .load(configuration.inputs, diagnostics: &diagnostics)
        if diagnostics.hasErrors { throw CostDefenderError.invalidInputs(diagnostics.errors) }
        return CubeShape(configuration: configuration, business: business)
    }
}
