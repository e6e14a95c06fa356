import Foundation

/// Writes a deterministic, realistic sample of every CostDefender input: daily FOCUS rows for a
/// fictional retailer ("Acme Retail Group", AWS, 28 teams, 8 sub-accounts) plus the ledger,
/// metrics, budgets, forecasts, fx rates, notes and a config that uses every documented feature.
///
/// Invariants: the output is a pure function of the init parameters (same seed → byte-identical
/// files). Nothing reads the clock, `SystemRandomNumberGenerator`, `Hasher` or dictionary order;
/// no transcendental libm functions are used, so the numbers do not depend on the platform's libm.
/// (The `.csv.gz` bytes also depend on the zlib build; the decompressed CSV does not.)
///
/// What the sample contains (offsets are months after `firstMonth`; with the defaults 0 = 2025-01):
/// * per-team growth (ml-training ~4 %/month, search 3 %, identity flat, marketing-site −3 %),
///   Nov/Dec retail peaks with a Black-Friday-week spike, weekday/weekend shapes, billing runs at
///   month start;
/// * ml-inference launches at offset 8; Amazon Redshift (analytics) is retired at offset 13;
/// * a Compute Savings Plan from offset 2 (covered rows, daily Unused rows when under-used, a
///   monthly Recurring purchase), a one-time all-upfront RDS reserved instance at offset 5,
///   spot (Dynamic) GPU instances, credits, a refund, corrections of earlier periods, tax rows,
///   AWS Support (Business) and a shared networking account;
/// * tag hygiene problems (untagged cost, alias team values, `Team`/`owner` keys, missing
///   cost-center), partly fixed by a tagging campaign at offset 12;
/// * ledger findings whose implemented savings really show in the FOCUS data (one does not).
public struct SampleGenerator: Sendable {
    public let seed: UInt64
    public let firstYear: Int
    public let firstMonthOfYear: Int
    public let months: Int
    public let teamCount: Int

    /// seed: PRNG seed (SplitMix64; never the system generator).
    public init(seed: UInt64 = 42, firstMonth: (year: Int, month: Int) = (2025, 1), months: Int = 23, teamCount: Int = 28) {
        self.seed = seed
        self.firstYear = firstMonth.year
        self.firstMonthOfYear = min(max(firstMonth.month, 1), 12)
        self.months = max(1, months)
        self.teamCount = max(1, teamCount)
    }

    /// Writes the complete sample into `folder`: focus/YYYY-MM.csv.gz (one gzip file per month),
    /// ledger.csv, metrics.csv, budgets.csv, forecasts.csv, fx.csv, notes.csv and costdefender.yaml
    /// (inputs pointing at these files, output `../Output`, fiscal year starting in February).
    public func writeSample(to folder: String) throws {
        let plan = Plan(self)
        try Self.makeDirectory(folder)
        try Self.makeDirectory(folder + "/focus")
        var acc = Accumulators(plan)
        for m in 0..<months {
            let (y, mo) = plan.monthYM[m]
            try writeFocusMonth(plan, month: m, path: "\(folder)/focus/\(y)-\(Self.pad2(mo)).csv.gz", acc: &acc)
        }
        try Self.writeText(folder + "/ledger.csv", ledgerCSV(plan))
        try Self.writeText(folder + "/metrics.csv", metricsCSV(plan))
        try Self.writeText(folder + "/budgets.csv", budgetsCSV(plan))
        try Self.writeText(folder + "/forecasts.csv", forecastsCSV(plan, acc))
        try Self.writeText(folder + "/fx.csv", fxCSV(plan))
        try Self.writeText(folder + "/notes.csv", notesCSV(plan))
        try Self.writeText(folder + "/costdefender.yaml", configYAML(plan))
    }

    // MARK: - Files and text helpers

    static func makeDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw CostDefenderError.io(path: path, message: "cannot create the folder: \(error.localizedDescription)")
        }
    }

    static func writeText(_ path: String, _ text: String) throws {
        guard let f = fopen(path, "wb") else {
            throw CostDefenderError.io(path: path, message: "cannot open for writing: \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        let closed = fclose(f)
        if written != bytes.count || closed != 0 {
            throw CostDefenderError.io(path: path, message: "write failed: \(String(cString: strerror(errno)))")
        }
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A CSV cell for the plain CSV files: quoted when needed.
    static func csv(_ s: String) -> String {
        if s.contains(",") || s.contains("\"") || s.contains("\n") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// Whole dollars/cents as text, e.g. 1234.5 → "1234.50".
    static func money2(_ x: Double) -> String {
        let cents = Int64((x * 100).rounded())
        let neg = cents < 0
        let c = cents.magnitude
        return (neg ? "-" : "") + "\(c / 100)." + (c % 100 < 10 ? "0" : "") + "\(c % 100)"
    }

    /// Exact decimal text of a value in 1e-10 units with trailing zeros trimmed ("0.768", "4.16").
    static func decimalText(_ units: Int64) -> String {
        let neg = units < 0
        let u = units.magnitude
        var frac = String(u % 10_000_000_000)
        frac = String(repeating: "0", count: 10 - frac.count) + frac
        while frac.last == "0" { frac.removeLast() }
        return (neg ? "-" : "") + "\(u / 10_000_000_000)" + (frac.isEmpty ? "" : "." + frac)
    }

    static func units(_ x: Double) -> Int64 { Int64((x * 1e10).rounded()) }

    // MARK: - Randomness (SplitMix64 and stable hashing)

    @inline(__always) static func finalize(_ x: UInt64) -> UInt64 { SplitMix64.finalize(x) }

    @inline(__always) static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        finalize(a &+ 0x9E37_79B9_7F4A_7C15 &* (b | 1) ^ (b &* 0xD6E8_FEB8_6659_FD93))
    }

    /// FNV-1a: a stable string hash (Swift's `Hasher` is seeded per process).
    static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h ^= UInt64(b); h = h &* 0x100_0000_01B3 }
        return h
    }

    /// A stable hash of the seed and some keys.
    func h(_ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0) -> UInt64 {
        Self.mix(Self.mix(Self.mix(Self.mix(seed, a), b), c), d)
    }

    func h(_ s: String, _ b: UInt64 = 0, _ c: UInt64 = 0) -> UInt64 { h(Self.fnv(s), b, c) }

    static func unit(_ x: UInt64) -> Double { Double(x >> 11) * 0x1p-53 }

    /// Lower-case hex of `count` digits from a hash.
    static func hex(_ x: UInt64, _ count: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var v = x, out: [UInt8] = []
        for _ in 0..<count { out.append(digits[Int(v & 15)]); v = v >> 4 | v << 60 }
        return String(decoding: out, as: UTF8.self)
    }

    /// Upper-case base-32-ish id of `count` characters from a hash (AWS SKU style).
    static func skuText(_ x: UInt64, _ count: Int) -> String {
        let digits = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
        var v = x, out: [UInt8] = []
        for i in 0..<count {
            if i == 12 { v = finalize(x ^ 0x5DEE_CE66_D1CE_4E5B) }
            out.append(digits[Int(v & 31)]); v >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Calendar (proleptic Gregorian, days since 1970-01-01)

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        Int(Day(year: year, month: month, day: day).index)
    }

    static func civil(_ days: Int) -> (y: Int, m: Int, d: Int) {
        let c = Day(index: Int32(days)).civil
        return (c.year, c.month, c.day)
    }

    static func isoDay(_ days: Int) -> String {
        let c = civil(days)
        return "\(c.y)-\(pad2(c.m))-\(pad2(c.d))"
    }
}

// MARK: - Catalog

extension SampleGenerator {
    enum Svc: Int, CaseIterable {
        case ec2, rds, s3, lambda, cloudfront, dynamodb, elb, eks, cloudwatch, dataTransfer, support, redshift, sagemaker

        var name: String {
            switch self {
            case .ec2: return "Amazon EC2"
            case .rds: return "Amazon RDS"
            case .s3: return "Amazon S3"
            case .lambda: return "AWS Lambda"
            case .cloudfront: return "Amazon CloudFront"
            case .dynamodb: return "Amazon DynamoDB"
            case .elb: return "Elastic Load Balancing"
            case .eks: return "Amazon EKS"
            case .cloudwatch: return "Amazon CloudWatch"
            case .dataTransfer: return "AWS Data Transfer"
            case .support: return "AWS Support (Business)"
            case .redshift: return "Amazon Redshift"
            case .sagemaker: return "Amazon SageMaker"
            }
        }

        var category: String {
            switch self {
            case .ec2, .lambda, .eks: return "Compute"
            case .rds, .dynamodb: return "Databases"
            case .s3: return "Storage"
            case .cloudfront, .elb, .dataTransfer: return "Networking"
            case .cloudwatch: return "Management and Governance"
            case .support: return "Other"
            case .redshift: return "Analytics"
            case .sagemaker: return "AI and Machine Learning"
            }
        }

        var resourceType: String? {
            switch self {
            case .ec2: return "Instance"
            case .rds: return "DB Instance"
            case .s3: return "Bucket"
            case .lambda: return "Function"
            case .cloudfront: return "Distribution"
            case .dynamodb: return "Table"
            case .elb: return "Load Balancer"
            case .eks, .redshift: return "Cluster"
            case .cloudwatch: return "Log Group"
            case .dataTransfer, .support: return nil
            case .sagemaker: return "Endpoint"
            }
        }

        /// How much of the team's weekday shape this service follows (storage barely moves).
        var weekSensitivity: Double {
            switch self {
            case .s3: return 0.1
            case .cloudwatch: return 0.5
            case .rds, .eks, .redshift, .support: return 0
            default: return 1
            }
        }

        /// Usage pricing: unit, list price per unit, quantity granularity in micro-units, description.
        var usagePricing: (unit: String, price: Double, grain: Int64, description: String) {
            switch self {
            case .s3: return ("GB-Mo", 0.023, 1, "$0.023 per GB-Mo for the first 50 TB")
            case .lambda: return ("Lambda-GB-Second", 0.0000166667, 1000, "$0.0000166667 per GB-second")
            case .cloudfront: return ("GB", 0.085, 1000, "$0.085 per GB data transfer out")
            case .dynamodb: return ("WriteRequestUnits", 0.00000125, 1_000_000, "$1.25 per million write request units")
            case .elb: return ("LCU-Hrs", 0.008, 100, "$0.008 per ALB capacity unit-hour")
            case .cloudwatch: return ("GB", 0.5, 1000, "$0.50 per GB log data ingested")
            case .dataTransfer: return ("GB", 0.02, 1000, "$0.02 per GB inter-region transfer")
            case .sagemaker: return ("Hrs", 1.515, 10000, "$1.515 per ml.g5.2xlarge hour")
            case .eks: return ("Hrs", 0.1, 10000, "$0.10 per EKS cluster hour")
            case .redshift: return ("Hrs", 3.26, 10000, "$3.26 per RA3 4XL node-hour")
            default: return ("Hrs", 0, 10000, "")
            }
        }
    }

    enum Week { case consumer, business, batch, dev, monthStart }
    enum Season { case none, mild, strong }
    enum Hygiene { case clean, aliases, capitalKey, ownerKey, noCostCenter, someUntagged, mostlyUntagged, untagged, network }

    typealias Family = [(name: String, price: Double)]

    static let general: Family = [("m6i.large", 0.096), ("m6i.xlarge", 0.192), ("m6i.2xlarge", 0.384), ("m6i.4xlarge", 0.768),
                                  ("m6i.8xlarge", 1.536), ("m6i.12xlarge", 2.304), ("m6i.16xlarge", 3.072), ("m6i.24xlarge", 4.608),
                                  ("m6i.32xlarge", 6.144), ("m7i.48xlarge", 9.6768)]
    static let compute: Family = [("c6i.large", 0.085), ("c6i.xlarge", 0.17), ("c6i.2xlarge", 0.34), ("c6i.4xlarge", 0.68),
                                  ("c6i.8xlarge", 1.36), ("c6i.12xlarge", 2.04), ("c6i.16xlarge", 2.72), ("c6i.24xlarge", 4.08),
                                  ("c6i.32xlarge", 5.44), ("c7i.48xlarge", 8.568)]
    /// Graviton equivalents of `compute`, index for index (~15 % cheaper per unit of work).
    static let graviton: Family = [("c7g.large", 0.0725), ("c7g.xlarge", 0.145), ("c7g.2xlarge", 0.29), ("c7g.4xlarge", 0.58),
                                   ("c7g.8xlarge", 1.16), ("c7g.12xlarge", 1.74), ("c7g.16xlarge", 2.32), ("c8g.24xlarge", 3.468),
                                   ("c8g.32xlarge", 4.624), ("c8g.48xlarge", 7.2979)]
    static let memory: Family = [("r6i.large", 0.126), ("r6i.xlarge", 0.252), ("r6i.2xlarge", 0.504), ("r6i.4xlarge", 1.008),
                                 ("r6i.8xlarge", 2.016), ("r6i.12xlarge", 3.024), ("r6i.16xlarge", 4.032), ("r6i.24xlarge", 6.048),
                                 ("r6i.32xlarge", 8.064), ("r7i.48xlarge", 12.7008)]
    static let gpu: Family = [("g5.xlarge", 1.006), ("g5.2xlarge", 1.212), ("g5.4xlarge", 1.624), ("g5.8xlarge", 2.448),
                              ("g5.16xlarge", 4.096), ("g5.12xlarge", 5.672), ("g5.24xlarge", 8.144), ("g5.48xlarge", 16.288)]
    static let databases: Family = [("db.r6g.large", 0.26), ("db.r6g.xlarge", 0.52), ("db.r6g.2xlarge", 1.04), ("db.r6g.4xlarge", 2.08),
                                    ("db.r6g.8xlarge", 4.16), ("db.r6g.12xlarge", 6.24), ("db.r6g.16xlarge", 8.32)]

    static let billingAccount = (id: "508712334190", name: "Acme Retail Group")
    /// Sub-accounts; the last one is the management (payer) account that carries Support.
    static let accounts: [(id: String, name: String)] = [
        ("214563098712", "acme-prod-core"), ("302984475120", "acme-prod-web"), ("381276540093", "acme-data"),
        ("450918273664", "acme-platform"), ("529384710256", "acme-commerce-ops"), ("613047829501", "acme-shared-network"),
        ("704412358869", "acme-legacy-batch"), ("845190267734", "acme-sandbox"), ("508712334190", "acme-management"),
    ]
    static let prodCore = 0, prodWeb = 1, dataAcct = 2, platformAcct = 3, commerceAcct = 4, networkAcct = 5, legacyAcct = 6, sandboxAcct = 7, managementAcct = 8
    static let regions: [(id: String, name: String, factor: Double)] = [
        ("us-east-1", "US East (N. Virginia)", 1.0), ("us-west-2", "US West (Oregon)", 1.0),
        ("eu-west-1", "Europe (Ireland)", 1.1), ("ap-southeast-1", "Asia Pacific (Singapore)", 1.15),
    ]

    struct TeamDef {
        var name: String
        var products: [String]
        var account: Int
        var region: Int
        var region2: Int?
        var monthly: Double
        var growth: Double
        var season: Season
        var week: Week
        var hygiene: Hygiene
        var costCenter: String
        var owner: String
        var family: Family
        var services: [(Svc, Double)]
        var launch: Int? = nil
        var pseudo = false
    }

    /// The 28 teams, most important first (a smaller `teamCount` keeps a prefix).
    static let teamCatalog: [TeamDef] = [
        TeamDef(name: "payments", products: ["wallet", "cards"], account: prodCore, region: 0, region2: 2, monthly: 24000, growth: 0.02,
                season: .strong, week: .consumer, hygiene: .aliases, costCenter: "CC-104", owner: "Ana Silva", family: general,
                services: [(.ec2, 0.42), (.rds, 0.30), (.dynamodb, 0.12), (.elb, 0.06), (.cloudwatch, 0.10)]),
        TeamDef(name: "checkout", products: ["checkout-web", "cart"], account: prodCore, region: 0, monthly: 17000, growth: 0.015,
                season: .strong, week: .consumer, hygiene: .clean, costCenter: "CC-105", owner: "Marcus Chen", family: general,
                services: [(.ec2, 0.50), (.rds, 0.25), (.cloudfront, 0.13), (.lambda, 0.12)]),
        TeamDef(name: "search", products: ["search-api"], account: prodWeb, region: 0, region2: 3, monthly: 19000, growth: 0.03,
                season: .mild, week: .consumer, hygiene: .clean, costCenter: "CC-210", owner: "Priya Raman", family: compute,
                services: [(.ec2, 0.64), (.dynamodb, 0.16), (.s3, 0.11), (.elb, 0.09)]),
        TeamDef(name: "identity", products: ["sso", "auth-api"], account: prodCore, region: 0, monthly: 6500, growth: 0.0,
                season: .none, week: .business, hygiene: .capitalKey, costCenter: "CC-301", owner: "Tomas Ortega", family: general,
                services: [(.ec2, 0.50), (.rds, 0.30), (.dynamodb, 0.20)]),
        TeamDef(name: "data-platform", products: ["lakehouse", "ingestion"], account: dataAcct, region: 0, monthly: 26000, growth: 0.025,
                season: .none, week: .batch, hygiene: .noCostCenter, costCenter: "CC-420", owner: "Hannah Becker", family: memory,
                services: [(.ec2, 0.45), (.s3, 0.35), (.dataTransfer, 0.08), (.cloudwatch, 0.07), (.eks, 0.05)]),
        TeamDef(name: "ml-training", products: ["model-training"], account: dataAcct, region: 1, monthly: 21000, growth: 0.04,
                season: .none, week: .batch, hygiene: .clean, costCenter: "CC-430", owner: "Kenji Watanabe", family: gpu,
                services: [(.ec2, 0.55), (.sagemaker, 0.30), (.s3, 0.15)]),
        TeamDef(name: "ml-inference", products: ["recs-inference", "genai-assistant"], account: dataAcct, region: 0, monthly: 14000, growth: 0.035,
                season: .mild, week: .consumer, hygiene: .clean, costCenter: "CC-431", owner: "Fatima Al-Sayed", family: gpu,
                services: [(.sagemaker, 0.58), (.ec2, 0.31), (.dynamodb, 0.11)], launch: 8),
        TeamDef(name: "catalog", products: ["product-catalog"], account: prodWeb, region: 0, monthly: 7500, growth: 0.01,
                season: .mild, week: .consumer, hygiene: .capitalKey, costCenter: "CC-220", owner: "Lucas Moreau", family: general,
                services: [(.ec2, 0.40), (.rds, 0.35), (.s3, 0.15), (.cloudfront, 0.10)]),
        TeamDef(name: "recommendations", products: ["recs"], account: prodWeb, region: 0, monthly: 9500, growth: 0.02,
                season: .mild, week: .consumer, hygiene: .noCostCenter, costCenter: "CC-221", owner: "Olivia Grant", family: memory,
                services: [(.ec2, 0.55), (.dynamodb, 0.25), (.s3, 0.20)]),
        TeamDef(name: "notifications", products: ["push", "email"], account: platformAcct, region: 0, monthly: 4200, growth: 0.01,
                season: .mild, week: .consumer, hygiene: .ownerKey, costCenter: "CC-310", owner: "Daniel Kowalski", family: general,
                services: [(.lambda, 0.50), (.dynamodb, 0.30), (.cloudwatch, 0.20)]),
        TeamDef(name: "messaging", products: ["chat"], account: platformAcct, region: 2, monthly: 3200, growth: 0.005,
                season: .none, week: .business, hygiene: .clean, costCenter: "CC-311", owner: "Sofia Rossi", family: general,
                services: [(.ec2, 0.55), (.rds, 0.30), (.elb, 0.15)]),
        TeamDef(name: "mobile-api", products: ["mobile-bff"], account: prodWeb, region: 0, region2: 2, monthly: 8200, growth: 0.02,
                season: .mild, week: .consumer, hygiene: .clean, costCenter: "CC-230", owner: "Ethan Brooks", family: compute,
                services: [(.ec2, 0.58), (.cloudfront, 0.24), (.elb, 0.18)]),
        TeamDef(name: "web-frontend", products: ["storefront"], account: prodWeb, region: 0, monthly: 6200, growth: 0.015,
                season: .strong, week: .consumer, hygiene: .clean, costCenter: "CC-231", owner: "Chloe Martin", family: general,
                services: [(.cloudfront, 0.55), (.lambda, 0.27), (.s3, 0.18)]),
        TeamDef(name: "platform", products: ["shared-eks", "internal-tools"], account: platformAcct, region: 0, monthly: 11000, growth: 0.015,
                season: .none, week: .business, hygiene: .clean, costCenter: "CC-900", owner: "Ravi Patel", family: general,
                services: [(.ec2, 0.78), (.eks, 0.05), (.cloudwatch, 0.17)]),
        TeamDef(name: "observability", products: ["central-logging", "metrics"], account: platformAcct, region: 0, monthly: 7200, growth: 0.02,
                season: .none, week: .batch, hygiene: .clean, costCenter: "CC-901", owner: "Nora Lindqvist", family: general,
                services: [(.cloudwatch, 0.60), (.ec2, 0.25), (.s3, 0.15)]),
        TeamDef(name: "security", products: ["siem", "waf"], account: platformAcct, region: 0, monthly: 4300, growth: 0.01,
                season: .none, week: .batch, hygiene: .clean, costCenter: "CC-902", owner: "Samuel Okafor", family: general,
                services: [(.ec2, 0.45), (.s3, 0.33), (.cloudwatch, 0.22)]),
        TeamDef(name: "fraud", products: ["fraud-scoring"], account: prodCore, region: 0, monthly: 6000, growth: 0.02,
                season: .strong, week: .consumer, hygiene: .clean, costCenter: "CC-106", owner: "Isabel Fernandes", family: compute,
                services: [(.ec2, 0.50), (.sagemaker, 0.25), (.dynamodb, 0.25)]),
        TeamDef(name: "billing", products: ["invoicing"], account: prodCore, region: 0, monthly: 5000, growth: 0.005,
                season: .none, week: .monthStart, hygiene: .clean, costCenter: "CC-107", owner: "George Whitfield", family: general,
                services: [(.ec2, 0.45), (.rds, 0.40), (.s3, 0.15)]),
        TeamDef(name: "analytics", products: ["bi", "reporting"], account: dataAcct, region: 2, monthly: 12500, growth: 0.01,
                season: .none, week: .business, hygiene: .noCostCenter, costCenter: "CC-440", owner: "Mei Lin", family: memory,
                services: [(.redshift, 0.60), (.s3, 0.20), (.ec2, 0.20)]),
        TeamDef(name: "growth", products: ["experiments", "ab-testing"], account: prodWeb, region: 0, monthly: 3000, growth: 0.025,
                season: .mild, week: .consumer, hygiene: .someUntagged, costCenter: "CC-240", owner: "Jonas Weber", family: general,
                services: [(.lambda, 0.40), (.dynamodb, 0.30), (.s3, 0.30)]),
        TeamDef(name: "customer-support", products: ["helpdesk"], account: commerceAcct, region: 0, monthly: 2200, growth: 0.003,
                season: .strong, week: .business, hygiene: .clean, costCenter: "CC-510", owner: "Grace O'Neill", family: general,
                services: [(.ec2, 0.60), (.rds, 0.40)]),
        TeamDef(name: "logistics", products: ["shipping", "routing"], account: commerceAcct, region: 1, monthly: 5200, growth: 0.01,
                season: .strong, week: .business, hygiene: .clean, costCenter: "CC-520", owner: "Pedro Alvarez", family: general,
                services: [(.ec2, 0.50), (.rds, 0.30), (.s3, 0.20)]),
        TeamDef(name: "inventory", products: ["stock-service"], account: commerceAcct, region: 1, monthly: 4200, growth: 0.01,
                season: .mild, week: .consumer, hygiene: .clean, costCenter: "CC-521", owner: "Aisha Mensah", family: general,
                services: [(.ec2, 0.45), (.dynamodb, 0.40), (.lambda, 0.15)]),
        TeamDef(name: "pricing", products: ["price-engine"], account: commerceAcct, region: 0, monthly: 3400, growth: 0.015,
                season: .mild, week: .business, hygiene: .capitalKey, costCenter: "CC-522", owner: "Victor Novak", family: compute,
                services: [(.ec2, 0.60), (.dynamodb, 0.25), (.lambda, 0.15)]),
        TeamDef(name: "marketing-site", products: ["marketing-web"], account: prodWeb, region: 0, monthly: 2600, growth: -0.03,
                season: .none, week: .consumer, hygiene: .mostlyUntagged, costCenter: "CC-250", owner: "Emma Dubois", family: general,
                services: [(.cloudfront, 0.50), (.ec2, 0.30), (.s3, 0.20)]),
        TeamDef(name: "partner-api", products: ["partner-gateway"], account: prodWeb, region: 1, monthly: 4100, growth: 0.015,
                season: .none, week: .business, hygiene: .clean, costCenter: "CC-232", owner: "Arjun Mehta", family: general,
                services: [(.ec2, 0.58), (.elb, 0.24), (.lambda, 0.18)]),
        TeamDef(name: "media", products: ["images", "video"], account: prodWeb, region: 1, region2: 3, monthly: 6400, growth: 0.01,
                season: .none, week: .consumer, hygiene: .someUntagged, costCenter: "CC-251", owner: "Lena Hoffmann", family: general,
                services: [(.s3, 0.45), (.cloudfront, 0.40), (.lambda, 0.15)]),
        TeamDef(name: "devex", products: ["ci-runners", "dev-environments"], account: platformAcct, region: 0, monthly: 5200, growth: 0.01,
                season: .none, week: .dev, hygiene: .clean, costCenter: "CC-903", owner: "Carlos Reyes", family: general,
                services: [(.ec2, 0.80), (.s3, 0.10), (.cloudwatch, 0.10)]),
    ]

    /// Cost with no owning team: shared networking (→ pool), a legacy account (→ a team through
    /// `allocation.accounts`) and a sandbox account (truly unallocated).
    static let pseudoTeams: [TeamDef] = [
        TeamDef(name: "shared-network", products: ["network"], account: networkAcct, region: 0, region2: 2, monthly: 9000, growth: 0.015,
                season: .mild, week: .consumer, hygiene: .network, costCenter: "CC-900", owner: "", family: general,
                services: [(.dataTransfer, 0.55), (.elb, 0.25), (.cloudfront, 0.20)], pseudo: true),
        TeamDef(name: "legacy-batch", products: ["batch"], account: legacyAcct, region: 0, monthly: 3600, growth: 0.0,
                season: .none, week: .batch, hygiene: .untagged, costCenter: "", owner: "", family: general,
                services: [(.ec2, 0.70), (.s3, 0.30)], pseudo: true),
        TeamDef(name: "sandbox", products: ["sandbox"], account: sandboxAcct, region: 1, monthly: 3800, growth: 0.02,
                season: .none, week: .dev, hygiene: .untagged, costCenter: "", owner: "", family: general,
                services: [(.ec2, 0.70), (.s3, 0.18), (.lambda, 0.12)], pseudo: true),
    ]

    static func contact(_ owner: String) -> String {
        let parts = owner.lowercased().split(separator: " ").map { $0.filter { $0.isLetter } }
        return parts.joined(separator: ".") + "@acme.example"
    }
}

// MARK: - Plan: teams, series, resources and events

extension SampleGenerator {
    enum Kind: Equatable { case instances, databases, usage, clusters(Int), nodes }

    /// One resource (a row identity) with its pre-encoded CSV cells.
    struct Res {
        var id: String?
        var typeName: String
        var price: Int64          // list unit price, 1e-10 units
        var spRate: Int64         // Savings Plan rate, 1e-10 units
        var priceDouble: Double
        var grain: Int64          // quantity granularity, micro-units
        var team: Int
        var account: Int
        var taggedAfter: Bool     // has a team tag after the tagging campaign
        var fixDay: Int           // day index from which `encTail[1]` applies
        var encAZ: [UInt8]
        var encDescription: [UInt8]
        var encCommittedDescription: [UInt8]
        var encUnit: [UInt8]
        var encTail: [[UInt8]]
    }

    /// A team × service: a cost target per day and the resources that carry it.
    struct Series {
        var team: Int
        var svc: Svc
        var base: Double
        var kind: Kind
        var family: Family = []
        var typeIndex = 0
        var altFamily: Family = []
        var altIndex = 0
        var switchDay: Int? = nil
        var shares: [Double] = [1]
        var slots: [[Res]] = []   // [generation][slot]
        var spEligible = false
        var spot = false
        var tiny: Res? = nil
        var noise = 0.09
    }

    struct Event {
        var series: Int
        var slot: Int?
        var from: Int
        var to: Int
        var factor: Double
    }

    struct Plan {
        let gen: SampleGenerator
        var firstDay = 0
        var days = 0
        var monthStart: [Int] = []           // relative day index; months + 1 entries
        var monthYM: [(Int, Int)] = []        // months + 1 entries
        var dayMonth: [Int] = []
        var dayOfMonth: [Int] = []
        var calMonth: [Int] = []
        var weekday: [Int] = []               // 0 = Monday
        var teams: [TeamDef] = []
        var realTeams = 0
        var series: [Series] = []
        var growth: [[Double]] = []            // [team][month offset 0...months]
        var events: [Event] = []
        var peakDays: Set<Int> = []            // Black Friday → Cyber Monday
        var spStart: Int? = nil
        var spDaily: Int64 = 0
        var spHourly: Int64 = 0
        var riSeries: Int? = nil
        var riStart = 0, riEnd = 0
        var riDaily: Int64 = 0, riUpfront: Int64 = 0
        var riPrice: Int64 = 0
        var campaignDay = Int.max
        var mediaRunaway: (from: Int, to: Int)? = nil

        init(_ g: SampleGenerator) {
            gen = g
            firstDay = SampleGenerator.daysFromCivil(g.firstYear, g.firstMonthOfYear, 1)
            var y = g.firstYear, m = g.firstMonthOfYear
            for _ in 0...g.months {
                monthYM.append((y, m))
                monthStart.append(SampleGenerator.daysFromCivil(y, m, 1) - firstDay)
                m += 1; if m > 12 { m = 1; y += 1 }
            }
            days = monthStart[g.months]
            for d in 0..<days {
                let c = SampleGenerator.civil(firstDay + d)
                dayOfMonth.append(c.d); calMonth.append(c.m)
                weekday.append(((firstDay + d) % 7 + 7 + 3) % 7)
            }
            for mo in 0..<g.months { for _ in monthStart[mo]..<monthStart[mo + 1] { dayMonth.append(mo) } }
            // Black Friday (day after the 4th Thursday of November) to Cyber Monday.
            for d in 0..<days where calMonth[d] == 11 && weekday[d] == 4 && dayOfMonth[d] >= 23 && dayOfMonth[d] <= 29 {
                for k in 0..<4 where d + k < days { peakDays.insert(d + k) }
            }

            teams = Array(SampleGenerator.teamCatalog.prefix(g.teamCount))
            var extra = teams.count
            while teams.count < g.teamCount {
                var t = SampleGenerator.teamCatalog[extra % SampleGenerator.teamCatalog.count]
                extra += 1
                t.name = "team-\(teams.count + 1)"
                t.products = ["product-\(teams.count + 1)"]
                t.costCenter = "CC-\(600 + teams.count)"
                t.launch = nil
                t.hygiene = .clean
                teams.append(t)
            }
            realTeams = teams.count
            teams += SampleGenerator.pseudoTeams
            for t in teams {
                var row: [Double] = [1]
                for _ in 0..<g.months { row.append(row.last! * (1 + t.growth)) }
                growth.append(row)
            }
            campaignDay = day(12, 12) ?? Int.max
            buildSeries()
            buildEvents()
            buildCommitments()
        }

        /// Day index of (month offset, day of month), nil when outside the sample.
        func day(_ offset: Int, _ dom: Int) -> Int? {
            guard offset >= 0, offset < gen.months else { return nil }
            return monthStart[offset] + dom - 1
        }

        func team(named name: String) -> Int? { teams.firstIndex { $0.name == name && !$0.pseudo } ?? teams.firstIndex { $0.name == name } }

        func seriesIndex(_ team: String, _ svc: Svc) -> Int? {
            guard let t = self.team(named: team) else { return nil }
            return series.firstIndex { $0.team == t && $0.svc == svc }
        }

        func launchDay(_ t: Int) -> Int? {
            guard let l = teams[t].launch else { return nil }
            return l < gen.months ? monthStart[l] : days
        }

        // MARK: Cost model

        func seasonFactor(_ s: Season, _ calendarMonth: Int) -> Double {
            switch s {
            case .none: return 1
            case .mild: return [0.97, 0.96, 0.98, 0.99, 1.0, 0.99, 0.99, 1.0, 1.0, 1.02, 1.12, 1.18][calendarMonth - 1]
            case .strong: return [0.92, 0.90, 0.95, 0.97, 0.98, 0.97, 0.98, 1.0, 1.0, 1.05, 1.32, 1.45][calendarMonth - 1]
            }
        }

        func weekFactor(_ w: Week, _ d: Int) -> Double {
            switch w {
            case .consumer: return [0.97, 0.96, 0.97, 0.98, 1.02, 1.07, 1.05][weekday[d]]
            case .business: return [1.08, 1.10, 1.10, 1.08, 1.02, 0.80, 0.78][weekday[d]]
            case .batch: return 1
            case .dev: return [1.18, 1.20, 1.20, 1.18, 1.10, 0.50, 0.45][weekday[d]]
            case .monthStart: return dayOfMonth[d] <= 3 ? 1.9 : (weekday[d] >= 5 ? 0.85 : 0.98)
            }
        }

        /// Growth at day `d`, interpolated linearly inside the month.
        func growthAt(_ t: Int, _ d: Int) -> Double {
            let m = dayMonth[d]
            let len = Double(monthStart[m + 1] - monthStart[m])
            let f = Double(dayOfMonth[d] - 1) / len
            return growth[t][m] + (growth[t][m + 1] - growth[t][m]) * f
        }

        /// Expected cost of a series on day `d` in dollars (no noise).
        func expected(_ s: Int, _ d: Int, events withEvents: Bool = true, week withWeek: Bool = true) -> Double {
            let se = series[s]
            let t = teams[se.team]
            var ramp = 1.0
            if let l = launchDay(se.team) {
                if d < l { return 0 }
                ramp = min(1, Double(d - l + 1) / 75)
            }
            var x = se.base * growthAt(se.team, d) * seasonFactor(t.season, calMonth[d]) * ramp
            if withWeek { x *= 1 + (weekFactor(t.week, d) - 1) * se.svc.weekSensitivity }
            if peakDays.contains(d) {
                switch t.season { case .strong: x *= 1.45; case .mild: x *= 1.15; case .none: break }
            }
            if withEvents { for e in events where e.series == s && e.slot == nil && d >= e.from && d < e.to { x *= e.factor } }
            return x
        }

        func slotFactor(_ s: Int, _ slot: Int, _ d: Int) -> Double {
            var x = 1.0
            for e in events where e.series == s && e.slot == slot && d >= e.from && d < e.to { x *= e.factor }
            return x
        }

        /// Expected cost of a series over a month (no noise), dollars.
        func expectedMonth(_ s: Int, _ m: Int, events: Bool = true) -> Double {
            guard m >= 0, m < gen.months else { return 0 }
            var sum = 0.0
            for d in monthStart[m]..<monthStart[m + 1] { sum += expected(s, d, events: events) }
            return sum
        }

        func expectedTeamMonth(_ t: Int, _ m: Int, events: Bool = true) -> Double {
            var sum = 0.0
            for s in series.indices where series[s].team == t { sum += expectedMonth(s, m, events: events) }
            return sum
        }

        // MARK: Building

        mutating func buildSeries() {
            for (ti, t) in teams.enumerated() {
                for (svc, share) in t.services {
                    let base = t.monthly * share / 30.4375
                    var s = Series(team: ti, svc: svc, base: base, kind: .usage)
                    switch svc {
                    case .ec2:
                        s.kind = .instances
                        s.family = t.family
                        s.typeIndex = Self.pick(t.family, base, 1.0)
                        s.spEligible = (t.account == SampleGenerator.prodCore || t.account == SampleGenerator.prodWeb)
                        s.spot = t.name == "ml-training"
                        s.noise = 0.08
                    case .rds:
                        s.kind = .databases
                        s.family = SampleGenerator.databases
                        s.typeIndex = Self.pick(s.family, base, 1.4)
                        s.noise = 0
                    case .eks: s.kind = .clusters(t.monthly > 20000 ? 2 : 1); s.noise = 0
                    case .redshift: s.kind = .nodes; s.noise = 0
                    case .s3:
                        s.noise = 0.015
                        if t.name == "data-platform" || t.name == "media" { s.shares = [0.6, 0.4] }
                    case .cloudfront: if t.name == "media" || t.pseudo { s.shares = [0.65, 0.35] }
                    case .lambda: if t.name == "notifications" { s.shares = [0.6, 0.4] }
                    case .dataTransfer: if t.pseudo { s.shares = [0.6, 0.4] }
                    default: break
                    }
                    series.append(s)
                }
            }
            // Type switches: search moves to Graviton (new instances); checkout's DB is right-sized.
            if let s = seriesIndex("search", .ec2), let d = day(7, 15) {
                series[s].altFamily = SampleGenerator.graviton
                series[s].altIndex = series[s].typeIndex
                series[s].switchDay = d
            }
            if let s = seriesIndex("checkout", .rds), let d = day(9, 1) {
                series[s].altFamily = series[s].family
                series[s].altIndex = max(0, series[s].typeIndex - 1)
                series[s].switchDay = d
            }
            for s in series.indices { makeResources(s) }
        }

        /// Smallest type for which `headroom` instances running all day cover the daily target.
        static func pick(_ f: Family, _ daily: Double, _ headroom: Double) -> Int {
            for (i, t) in f.enumerated() where 24 * t.price * headroom >= daily { return i }
            return f.count - 1
        }

        mutating func makeResources(_ s: Int) {
            let se = series[s]
            switch se.kind {
            case .instances, .databases:
                let n = 14
                var g0: [Res] = [], g1: [Res] = []
                for k in 0..<n {
                    g0.append(makeRes(s, slot: k, generation: 0, type: se.family[se.typeIndex]))
                    if se.switchDay != nil {
                        g1.append(makeRes(s, slot: k, generation: se.svc == .rds ? 0 : 1, type: se.altFamily[se.altIndex]))
                    }
                }
                series[s].slots = se.switchDay != nil ? [g0, g1] : [g0]
            case .clusters(let n):
                series[s].slots = [(0..<n).map { makeRes(s, slot: $0, generation: 0, type: ("cluster", 0.1)) }]
            case .nodes:
                series[s].slots = [[makeRes(s, slot: 0, generation: 0, type: ("ra3.4xlarge", 3.26))]]
            case .usage:
                let p = se.svc.usagePricing
                series[s].slots = [se.shares.indices.map { makeRes(s, slot: $0, generation: 0, type: (p.unit, p.price)) }]
                let t = teams[se.team]
                if se.svc == .lambda && !t.pseudo && ["checkout", "web-frontend", "growth", "partner-api", "inventory"].contains(t.name) {
                    series[s].tiny = makeRes(s, slot: 9, generation: 0, type: (p.unit, p.price))
                }
            }
        }

        func makeRes(_ s: Int, slot: Int, generation: Int, type: (name: String, price: Double)) -> Res {
            let se = series[s]
            let t = teams[se.team]
            let acct = SampleGenerator.accounts[t.account]
            let key = gen.h("\(t.name)/\(se.svc.rawValue)", UInt64(slot), UInt64(generation))
            let u = SampleGenerator.unit(gen.h(key, 1))
            // Region: the team's, with some secondary-region resources.
            var region: Int? = t.region
            if let r2 = t.region2, slot % 3 == 1 { region = r2 }
            if se.svc == .cloudfront { region = nil }
            let factor = region.map { SampleGenerator.regions[$0].factor } ?? 1
            let unitPrice = (se.svc == .lambda || se.svc == .dynamodb) ? type.price : (type.price * factor * 10000).rounded() / 10000
            let price = SampleGenerator.units(unitPrice)
            let spRate = SampleGenerator.units(unitPrice * 0.72)
            let regionId = region.map { SampleGenerator.regions[$0].id }
            let az: String? = (se.svc == .ec2 || se.svc == .rds || se.svc == .redshift || se.svc == .sagemaker) ? regionId.map { $0 + ["a", "b", "c"][Int(key % 3)] } : nil

            // Product and environment.
            var product = t.products[slot % t.products.count]
            if t.name == "platform" { product = (se.svc == .ec2 || se.svc == .eks) ? "shared-eks" : "internal-tools" }
            if t.name == "observability" { product = se.svc == .cloudwatch ? "central-logging" : "metrics" }
            if t.name == "devex" && se.svc != .ec2 { product = "dev-environments" }
            var env = "prod"
            if t.name == "devex" || slot == 9 { env = "dev" } else if t.pseudo && t.name == "sandbox" { env = "sandbox" }
            else if se.kind == .usage && slot == 1 && u < 0.3 { env = "staging" }
            else if (se.kind == .instances) && slot >= 6 { env = "staging" }

            // Ids and names (ResourceName only where AWS has a Name; ARNs carry the rest).
            let base = product == t.name ? t.name : product
            let region0 = regionId ?? "us-east-1"
            var id: String?
            var name: String?
            switch se.svc {
            case .ec2: id = "i-0" + SampleGenerator.hex(key, 16); name = "\(base)-\(env)-\(slot + 1)"
            case .rds: name = "\(base)-db\(slot + 1)"; id = "arn:aws:rds:\(region0):\(acct.id):db:\(name!)"
            case .s3:
                id = "arn:aws:s3:::" + (t.name == "data-platform" ? ["acme-dp-raw-logs", "acme-dp-curated"][slot] : "acme-\(base)-\(["assets", "archive"][slot % 2])")
            case .lambda: id = "arn:aws:lambda:\(region0):\(acct.id):function:\(base)-\(slot == 9 ? "canary" : ["api", "worker"][slot % 2])"
            case .cloudfront: id = "arn:aws:cloudfront::\(acct.id):distribution/E" + SampleGenerator.skuText(key, 13)
            case .dynamodb: id = "arn:aws:dynamodb:\(region0):\(acct.id):table/\(base)-\(["events", "state"][slot % 2])"
            case .elb: id = "arn:aws:elasticloadbalancing:\(region0):\(acct.id):loadbalancer/app/\(base)/" + SampleGenerator.hex(key, 16)
            case .eks: name = "\(t.name)-\(["main", "batch"][slot % 2])"; id = "arn:aws:eks:\(region0):\(acct.id):cluster/\(name!)"
            case .cloudwatch: id = "arn:aws:logs:\(region0):\(acct.id):log-group:/acme/\(base)"
            case .dataTransfer:
                if t.pseudo { id = "arn:aws:ec2:\(region0):\(acct.id):natgateway/nat-0" + SampleGenerator.hex(key, 16) }
            case .redshift: name = "\(t.name)-dw"; id = "arn:aws:redshift:\(region0):\(acct.id):cluster:\(name!)"
            case .sagemaker: id = "arn:aws:sagemaker:\(region0):\(acct.id):endpoint/\(base)"
            case .support: break
            }

            // Tags and their hygiene.
            var teamKey = "team", teamValue = t.name, productKey = "product"
            var untaggedBefore = false, untaggedAfter = false, noCostCenter = false, noTeam = false
            switch t.hygiene {
            case .clean:
                if u < 0.03 { untaggedBefore = true; untaggedAfter = u < 0.01 } else if u < 0.08 { noCostCenter = true }
            case .aliases:
                if u < 0.25 { teamValue = "Payments" } else if u < 0.40 { teamValue = "payments-team" }
                else if u < 0.47 { untaggedBefore = true }
            case .capitalKey:
                if u < 0.5 { teamKey = "Team" }
                if u > 0.2 && u < 0.6 { productKey = "application" }
            case .ownerKey: teamKey = "owner"
            case .noCostCenter: noCostCenter = u < 0.5
            case .someUntagged: if u < 0.45 { untaggedBefore = true; untaggedAfter = u < 0.12 }
            case .mostlyUntagged: if u < 0.75 { untaggedBefore = true; untaggedAfter = true }
            case .untagged: untaggedBefore = true; untaggedAfter = true
            case .network: noTeam = true; if u < 0.5 { untaggedBefore = true; untaggedAfter = true }
            }
            if product == "ci-runners" { noTeam = true }
            if slot == 9 { untaggedBefore = false; untaggedAfter = false }
            var pairs: [(String, String)] = []
            if !noTeam { pairs.append((teamKey, teamValue)) }
            pairs.append((productKey, product))
            pairs.append(("environment", env))
            if !noCostCenter && !t.costCenter.isEmpty { pairs.append(("cost-center", t.costCenter)) }
            let json = "{" + pairs.map { "\"\($0.0)\": \"\($0.1)\"" }.joined(separator: ", ") + "}"
            let cc: String? = noCostCenter || t.costCenter.isEmpty ? nil : t.costCenter

            // SKU and descriptions.
            let skuId = SampleGenerator.skuText(gen.h("\(se.svc.rawValue)/\(type.name)/\(region0)"), 16)
            let skuPriceId = skuId + ".JRTCKXETXF." + SampleGenerator.skuText(gen.h(skuId), 10)
            let priceText = "$" + SampleGenerator.decimalText(price)
            let p = se.svc.usagePricing
            var unit = p.unit
            var description: String
            var committed = ""
            switch se.svc {
            case .ec2:
                unit = "Hrs"
                description = se.spot ? "Spot Linux \(type.name) Instance Hour" : "\(priceText) per On Demand Linux \(type.name) Hour"
                committed = "Savings Plan rate for \(type.name)"
            case .rds:
                unit = "Hrs"
                description = "\(priceText) per RDS \(type.name) Multi-AZ hour"
                committed = "RDS reserved instance: \(type.name)"
            case .eks: description = p.description
            case .redshift: description = p.description
            default:
                description = p.description
                if se.svc == .dataTransfer && t.pseudo {
                    description = slot == 0 ? "$0.045 per GB processed by NAT Gateways" : "$0.09 per GB data transfer out"
                }
            }
            var realPrice = price
            if se.svc == .dataTransfer && t.pseudo { realPrice = slot == 0 ? SampleGenerator.units(0.045) : SampleGenerator.units(0.09) }

            func tail(_ tags: String?, _ costCenter: String?) -> [UInt8] {
                let cells: [String?] = [unit, "AWS", "Amazon Web Services, Inc.", regionId, region.map { SampleGenerator.regions[$0].name },
                                        id, name, se.svc.resourceType, se.svc.category, se.svc.name, skuId, skuPriceId,
                                        acct.id, acct.name, tags, costCenter]
                return SampleGenerator.encodeCells(cells)
            }
            let before = untaggedBefore ? tail(nil, nil) : tail(json, cc)
            let after = untaggedAfter ? tail(nil, nil) : tail(json, cc)
            return Res(id: id, typeName: type.name, price: realPrice, spRate: spRate, priceDouble: Double(realPrice) / 1e10,
                       grain: p.grain, team: se.team, account: t.account, taggedAfter: !untaggedAfter && !noTeam,
                       fixDay: untaggedBefore != untaggedAfter ? campaignDay : 0,
                       encAZ: SampleGenerator.encodeCells([az]), encDescription: SampleGenerator.encodeCells([description]),
                       encCommittedDescription: SampleGenerator.encodeCells([committed]), encUnit: SampleGenerator.encodeCells([unit]),
                       encTail: [before, after])
        }

        mutating func buildEvents() {
            func add(_ team: String, _ svc: Svc, slot: Int? = nil, _ from: Int?, _ to: Int?, _ factor: Double) {
                guard let s = seriesIndex(team, svc), let from else { return }
                events.append(Event(series: s, slot: slot, from: from, to: to ?? Int.max, factor: factor))
            }
            add("data-platform", .s3, slot: 0, day(4, 6), nil, 0.55)           // S3 lifecycle on raw logs
            add("devex", .ec2, day(6, 1), nil, 0.62)                              // dev instances off nights/weekends
            add("media", .s3, day(7, 4), day(7, 13), 6.0)                         // runaway sync job
            if let a = day(7, 4), let b = day(7, 13) { mediaRunaway = (a, b) }
            add("notifications", .lambda, day(10, 3), nil, 1.04)                 // right-sizing that did not realise
            add("analytics", .redshift, day(13, 1), nil, 0)                      // Redshift retired
            add("analytics", .ec2, day(13, 1), nil, 1.3)                          // replaced by a query engine on EC2
            add("observability", .cloudwatch, day(14, 10), nil, 0.7)             // logs to Infrequent Access
            add("data-platform", .ec2, day(15, 6), day(15, 21), 1.8)             // forgotten load-test cluster
        }

        mutating func buildCommitments() {
            // Compute Savings Plan from offset 2: ~103 % of the expected eligible EC2 at SP rates then (slightly
            // under-used on quiet days at first, fully used as the fleet grows).
            if let start = day(2, 1) {
                var daily = 0.0
                let m = 2
                let len = monthStart[m + 1] - monthStart[m]
                for s in series.indices where series[s].spEligible {
                    daily += expectedMonth(s, m) / Double(len)
                }
                let hourly = max(0.5, (daily * 0.72 * 1.03 / 24 * 2).rounded() / 2)
                spStart = start
                spHourly = SampleGenerator.units(hourly)
                spDaily = spHourly * 24
            }
            // One-year all-upfront RDS reserved instance for payments' first database.
            if let s = seriesIndex("payments", .rds), let start = day(5, 1) {
                riSeries = s
                riStart = start
                riEnd = start + 365
                let price = series[s].slots[0][0].price
                riPrice = price
                riDaily = SampleGenerator.units((Double(price) / 1e10 * 24 * 0.64 * 100).rounded() / 100)
                riUpfront = riDaily * 365
            }
        }
    }

    /// CSV cells (strings quoted with inner quotes doubled, nil as the bare NULL token), joined by commas.
    static func encodeCells(_ cells: [String?]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, c) in cells.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            guard let c else { out += Array("NULL".utf8); continue }
            out.append(UInt8(ascii: "\""))
            for b in c.utf8 {
                if b == UInt8(ascii: "\"") { out.append(b) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        }
        return out
    }
}

// MARK: - Accumulated actuals (for forecasts)

extension SampleGenerator {
    struct Accumulators {
        var teamMonth: [[Double]]       // effective cost of each team's own resources, by month
        var totalMonth: [Double]
        var rows: [Int]
        var mediaExcess = 0.0
        init(_ p: Plan) {
            teamMonth = Array(repeating: Array(repeating: 0, count: p.gen.months), count: p.teams.count)
            totalMonth = Array(repeating: 0, count: p.gen.months)
            rows = Array(repeating: 0, count: p.gen.months)
        }
    }
}

// MARK: - Business inputs

extension SampleGenerator {
    struct LedgerItem {
        var id: String, title: String, team: String, status: String
        var identified: Int?, implemented: Int?
        var committed: Double
        var scope: String, driver: String
    }

    func ledgerItems(_ p: Plan) -> [LedgerItem] {
        var items: [LedgerItem] = []
        func acct(_ i: Int) -> String { Self.accounts[i].id }
        func slotIds(_ team: String, _ svc: Svc, _ n: Int) -> String {
            guard let s = p.seriesIndex(team, svc) else { return "" }
            return p.series[s].slots[0].prefix(n).compactMap(\.id).joined(separator: "|")
        }
        func monthCost(_ team: String, _ svc: Svc, _ m: Int) -> Double {
            guard let s = p.seriesIndex(team, svc) else { return 0 }
            return p.expectedMonth(s, min(max(m, 0), months - 1), events: false)
        }
        func round50(_ x: Double) -> Double { max(50, (x / 50).rounded() * 50) }
        func add(_ id: String, _ title: String, _ team: String, _ status: String, _ identified: (Int, Int), _ implemented: (Int, Int)?,
                 _ committed: Double, _ scope: String, _ driver: String, requires: [String] = []) {
            guard p.team(named: team) != nil, requires.allSatisfy({ p.team(named: $0) != nil }), !scope.isEmpty else { return }
            items.append(LedgerItem(id: id, title: title, team: team, status: status, identified: p.day(identified.0, identified.1),
                                    implemented: implemented.flatMap { p.day($0.0, $0.1) }, committed: committed, scope: scope, driver: driver))
        }
        // Implemented, with savings visible in the FOCUS data.
        let spSaving = Double(p.spDaily) / 1e10 / 0.72 * 0.28 * 30.4
        add("SAV-001", "Buy a 3-year Compute Savings Plan for steady prod EC2", "platform", "implemented", (0, 14), (2, 1),
            round50(spSaving), "service=Amazon EC2; account=\(acct(Self.prodCore))|\(acct(Self.prodWeb))", "commitment")
        if let s = p.seriesIndex("data-platform", .s3) {
            add("SAV-002", "S3 lifecycle: move raw logs to Glacier after 30 days", "data-platform", "implemented", (1, 20), (4, 6),
                round50(p.expectedMonth(s, 4, events: false) * 0.6 * 0.45), "service=Amazon S3; resource=arn:aws:s3:::acme-dp-raw-logs", "lifecycle")
        }
        if let s = p.riSeries, let id = p.series[s].slots[0][0].id {
            add("SAV-003", "Reserve the payments wallet database (1 year, all upfront)", "payments", "implemented", (3, 2), (5, 1),
                round50((Double(p.riPrice) / 1e10 * 24 - Double(p.riDaily) / 1e10) * 30.4), "service=Amazon RDS; resource=\(id)", "commitment")
        }
        add("SAV-004", "Stop dev environments at night and on weekends", "devex", "implemented", (4, 9), (6, 1),
            round50(monthCost("devex", .ec2, 6) * 0.38), "service=Amazon EC2; account=\(acct(Self.platformAcct)); tag:environment=dev", "scheduling")
        add("SAV-005", "Migrate the search fleet to Graviton (c7g)", "search", "implemented", (5, 12), (7, 15),
            round50(monthCost("search", .ec2, 7) * 0.147), "service=Amazon EC2; tag:team=search", "rightsizing")
        add("SAV-006", "Right-size the checkout databases (one size down)", "checkout", "implemented", (7, 3), (9, 1),
            round50(monthCost("checkout", .rds, 9) * 0.5), "service=Amazon RDS; tag:team=checkout", "rightsizing")
        add("SAV-007", "Decommission the Redshift warehouse", "analytics", "implemented", (10, 7), (13, 1),
            round50(monthCost("analytics", .redshift, 12) - monthCost("analytics", .ec2, 12) * 0.3),
            "service=Amazon Redshift; account=\(acct(Self.dataAcct))", "waste")
        add("SAV-008", "Move central logs to CloudWatch Logs Infrequent Access", "observability", "implemented", (12, 2), (14, 10),
            round50(monthCost("observability", .cloudwatch, 14) * 0.3), "service=Amazon CloudWatch; tag:product=central-logging", "pricing")
        // Implemented but not realised: traffic grew and ate it.
        add("SAV-009", "Right-size Lambda memory for notification workers", "notifications", "implemented", (8, 20), (10, 3),
            round50(monthCost("notifications", .lambda, 10) * 0.25),
            "service=AWS Lambda; account=\(acct(Self.platformAcct)); resource=\(slotIds("notifications", .lambda, 2))", "rightsizing")
        // Committed (not yet implemented).
        add("SAV-010", "Move SageMaker training to managed spot", "ml-training", "committed", (9, 5), nil,
            round50(monthCost("ml-training", .sagemaker, 9) * 0.5), "service=Amazon SageMaker; account=\(acct(Self.dataAcct)); region=us-west-2", "pricing")
        add("SAV-011", "Migrate EBS gp2 volumes to gp3 in the data account", "data-platform", "committed", (11, 14), nil,
            round50(monthCost("data-platform", .ec2, 11) * 0.06), "service=Amazon EC2; account=\(acct(Self.dataAcct))", "pricing")
        add("SAV-012", "Switch payments DynamoDB tables to provisioned capacity", "payments", "committed", (12, 8), nil,
            round50(monthCost("payments", .dynamodb, 12) * 0.3), "service=Amazon DynamoDB; tag:team=payments|Payments|payments-team", "pricing")
        add("SAV-013", "VPC endpoints for S3 and DynamoDB to cut NAT processing", "platform", "committed", (13, 16), nil,
            round50(9000 * 0.55 * 0.6 * 0.35), "service=AWS Data Transfer; account=\(acct(Self.networkAcct))", "architecture")
        add("SAV-014", "Right-size recommendations r6i instances", "recommendations", "committed", (14, 3), nil,
            round50(monthCost("recommendations", .ec2, 14) * 0.2), "service=Amazon EC2; tag:team=recommendations", "rightsizing")
        add("SAV-015", "Delete orphaned snapshots in the legacy batch account", "logistics", "committed", (15, 21), nil,
            350, "account=\(acct(Self.legacyAcct)); service=Amazon EC2|Amazon S3", "waste")
        add("SAV-016", "Second Savings Plan tranche: coverage falls as EC2 grows", "platform", "committed", (16, 4), nil,
            round50(spSaving * 0.45), "service=Amazon EC2; account=\(acct(Self.prodCore))|\(acct(Self.prodWeb))", "commitment")
        // Identified.
        add("SAV-017", "Delete idle instances in the sandbox account", "platform", "identified", (6, 18), nil,
            round50(3800 * 0.6 * 0.4), "account=\(acct(Self.sandboxAcct)); service=Amazon EC2", "waste")
        add("SAV-018", "CloudFront price class 100 for the marketing site", "marketing-site", "identified", (8, 2), nil,
            round50(monthCost("marketing-site", .cloudfront, 8) * 0.15), "service=Amazon CloudFront; account=\(acct(Self.prodWeb)); tag:team=marketing-site", "pricing")
        add("SAV-019", "S3 Intelligent-Tiering for media archives", "media", "identified", (11, 25), nil,
            round50(monthCost("media", .s3, 11) * 0.4 * 0.35), "service=Amazon S3; tag:product=video", "lifecycle")
        add("SAV-020", "Reduce CloudWatch custom metric cardinality", "payments", "identified", (17, 6), nil,
            round50(monthCost("payments", .cloudwatch, 17) * 0.25), "service=Amazon CloudWatch; tag:team=payments", "waste")
        add("SAV-021", "Consolidate partner-api load balancers", "partner-api", "identified", (18, 11), nil,
            round50(monthCost("partner-api", .elb, 18) * 0.4), "service=Elastic Load Balancing; tag:team=partner-api", "architecture")
        add("SAV-022", "SageMaker endpoint auto scaling for inference", "ml-inference", "identified", (19, 9), nil,
            round50(monthCost("ml-inference", .sagemaker, 19) * 0.2), "service=Amazon SageMaker; tag:team=ml-inference", "rightsizing")
        add("SAV-023", "Lambda on arm64 for storefront functions", "web-frontend", "identified", (20, 14), nil,
            round50(monthCost("web-frontend", .lambda, 20) * 0.2), "service=AWS Lambda; tag:team=web-frontend; region=us-east-1", "pricing")
        // Rejected.
        add("SAV-024", "Reserved nodes for the Redshift warehouse", "analytics", "rejected", (3, 22), nil,
            round50(monthCost("analytics", .redshift, 3) * 0.3), "service=Amazon Redshift", "commitment")
        add("SAV-025", "Turn off catalog staging on weekends", "catalog", "rejected", (9, 29), nil,
            round50(monthCost("catalog", .ec2, 9) * 0.05), "service=Amazon EC2; tag:team=catalog; tag:environment=staging", "scheduling")
        add("SAV-026", "Bin-pack shared EKS nodes onto fewer, larger instances", "platform", "rejected", (16, 17), nil,
            round50(monthCost("platform", .ec2, 16) * 0.12), "tag:product=shared-eks; service=Amazon EC2", "architecture")
        // Keep only findings identified inside the sample; one implemented after its end stays committed.
        return items.compactMap { item in
            guard item.identified != nil else { return nil }
            var x = item
            if x.status == "implemented" && x.implemented == nil { x.status = "committed" }
            return x
        }
    }

    func ledgerCSV(_ p: Plan) -> String {
        var out = "id,title,team,owner,status,identified_on,committed_monthly,implemented_on,scope,driver\n"
        for i in ledgerItems(p) {
            let owner = p.team(named: i.team).map { p.teams[$0].owner } ?? ""
            let cells = [i.id, i.title, i.team, owner, i.status, i.identified.map { Self.isoDay(p.firstDay + $0) } ?? "",
                         Self.money2(i.committed), (i.status == "implemented" ? i.implemented.map { Self.isoDay(p.firstDay + $0) } : nil) ?? "",
                         i.scope, Self.driverMetric(team: i.team, kind: i.driver)]
            out += cells.map(Self.csv).joined(separator: ",") + "\n"
        }
        return out
    }

    /// The ledger's `driver` is a unit metric of metrics.csv to normalise by: the team's own
    /// volume metric for right-sizing, transactions for commitments on the shared fleet, none
    /// where the saving does not scale with volume (lifecycle, scheduling, waste, pricing).
    static func driverMetric(team: String, kind: String) -> String {
        let teamMetrics = ["search": "api_requests", "checkout": "orders", "identity": "logins", "notifications": ""]
        switch kind {
        case "rightsizing": return teamMetrics[team] ?? ""
        case "commitment": return team == "platform" ? "transactions" : ""
        default: return ""
        }
    }

    func metricsCSV(_ p: Plan) -> String {
        var out = "period,metric,value,team,product\n"
        var rng = SplitMix64(state: h("metrics"))
        func noise(_ sd: Double) -> Double { 1 + sd * (rng.unit() + rng.unit() + rng.unit() - 1.5) }
        func int(_ x: Double) -> String { "\(Int64(x.rounded()))" }
        let hasTeam = { (n: String) in p.team(named: n) != nil }
        var g = 1.0, c = 1.0, q = 1.0
        for m in 0..<months {
            let (y, mo) = p.monthYM[m]
            let period = "\(y)-\(Self.pad2(mo))"
            let len = Double(p.monthStart[m + 1] - p.monthStart[m])
            let strong = p.seasonFactor(.strong, mo), mild = p.seasonFactor(.mild, mo)
            let tx = 4_200_000 * g * strong * len / 30.4375 * noise(0.03)
            out += "\(period),transactions,\(int(tx)),,\n"
            out += "\(period),active_customers,\(int(310_000 * c * (0.5 + mild / 2) * noise(0.01))),,\n"
            if hasTeam("payments") {
                out += "\(period),payments_processed,\(int(tx * 0.93 * 0.38 * noise(0.02))),payments,wallet\n"
                out += "\(period),payments_processed,\(int(tx * 0.93 * 0.62 * noise(0.02))),payments,cards\n"
            }
            if hasTeam("checkout") { out += "\(period),orders,\(int(tx * 0.31 * noise(0.02))),checkout,\n" }
            if hasTeam("search") { out += "\(period),queries,\(int(120_000_000 * q * mild * len / 30.4375 * noise(0.03))),search,search-api\n" }
            if hasTeam("identity") { out += "\(period),logins,\(int(9_500_000 * len / 30.4375 * noise(0.04))),identity,\n" }
            if let t = p.team(named: "ml-inference"), let l = p.launchDay(t), p.monthStart[m + 1] > l {
                let ramp = min(1, Double(p.monthStart[m + 1] - l) / 75)
                out += "\(period),predictions,\(int(55_000_000 * ramp * p.growth[t][m] * mild * noise(0.05))),ml-inference,recs-inference\n"
            }
            // The basis of the `logging` pool (proportional to api_requests).
            for (team, volume) in [("checkout", 38_000_000.0), ("search", 95_000_000.0), ("mobile-api", 61_000_000.0),
                                   ("web-frontend", 44_000_000.0), ("partner-api", 17_000_000.0)] {
                guard let t = p.team(named: team) else { continue }
                let season = p.seasonFactor(p.teams[t].season, mo)
                out += "\(period),api_requests,\(int(volume * p.growth[t][m] * season * len / 30.4375 * noise(0.03))),\(team),\n"
            }
            g *= 1.018; c *= 1.012; q *= 1.03
        }
        // A daily metric (summed into its month): experiments started, every Monday.
        if hasTeam("growth") {
            for d in 0..<p.days where p.weekday[d] == 0 {
                out += "\(Self.isoDay(p.firstDay + d)),experiments_started,\(3 + Int(rng.next() % 9)),growth,experiments\n"
            }
        }
        return out
    }

    /// Fiscal year (named after the calendar year it ends in) and quarter, FY starting in February.
    static func fiscal(_ y: Int, _ m: Int) -> (fy: Int, q: Int) {
        let start = 2
        let fy = m >= start ? y + (start == 1 ? 0 : 1) : y
        return (fy, ((m - start + 12) % 12) / 3 + 1)
    }

    /// Pool recipients, shared by the config and the budgets.
    static let networkWeights: [(String, Double)] = [("checkout", 0.3), ("payments", 0.25), ("search", 0.2), ("web-frontend", 0.15), ("mobile-api", 0.1)]
    static let kubernetesRecipients = ["catalog", "recommendations", "notifications", "inventory", "partner-api", "fraud"]
    static let loggingRecipients = ["checkout", "search", "mobile-api", "web-frontend", "partner-api"]

    /// Series whose cost the config sends to a pool (shared EKS nodes, central logging).
    func pooledSeries(_ p: Plan) -> (kubernetes: [Int], logging: [Int]) {
        var k: [Int] = [], l: [Int] = []
        for (i, se) in p.series.enumerated() {
            let name = p.teams[se.team].name
            if name == "platform" && (se.svc == .ec2 || se.svc == .eks) { k.append(i) }
            if name == "observability" && se.svc == .cloudwatch { l.append(i) }
        }
        return (k, l)
    }

    func budgetsCSV(_ p: Plan) -> String {
        var out = "period,team,amount\n"
        var rng = SplitMix64(state: h("budgets"))
        let pooled = pooledSeries(p)
        let pooledSet = Set(pooled.kubernetes + pooled.logging)
        let has = { (n: String) in p.team(named: n) != nil }
        let net = Self.networkWeights.filter { has($0.0) }
        let netSum = net.reduce(0) { $0 + $1.1 }
        let k8s = Self.kubernetesRecipients.filter(has)
        let logging = Self.loggingRecipients.filter(has)
        var bias: [Int] = []   // per-mille bias per (fiscal year, team), drawn in a fixed order
        var biasKey: [String] = []
        var quarterTotals: [(String, Double)] = []
        for m in 0..<months {
            let (y, mo) = p.monthYM[m]
            let f = Self.fiscal(y, mo)
            // Budgets are set before the fiscal year: only changes planned by then are included.
            var fyStart = m
            while fyStart > 0 && Self.fiscal(p.monthYM[fyStart - 1].0, p.monthYM[fyStart - 1].1).fy == f.fy { fyStart -= 1 }
            let knownBy = p.monthStart[fyStart] + 45
            func planned(_ s: Int) -> Double {
                var x = p.expectedMonth(s, m, events: false)
                for e in p.events where e.series == s && e.slot == nil && e.to == Int.max && e.from <= knownBy { x *= e.factor }
                if p.series[s].spEligible, let sp = p.spStart, sp <= p.monthStart[m] { x *= 0.8 }
                if p.series[s].spot { x *= 0.34 }
                return x
            }
            func team(_ t: Int) -> Double { p.series.indices.filter { p.series[$0].team == t }.reduce(0) { $0 + planned($1) } }
            let network = p.team(named: "shared-network").map(team) ?? 0
            let kubernetes = pooled.kubernetes.reduce(0) { $0 + planned($1) }
            let logs = pooled.logging.reduce(0) { $0 + planned($1) }
            var all = 0.0
            for t in p.teams.indices { all += team(t) }
            for t in 0..<p.realTeams {
                let name = p.teams[t].name
                var amount = p.series.indices.filter { p.series[$0].team == t && !pooledSet.contains($0) }.reduce(0) { $0 + planned($1) }
                if amount <= 0 { continue }
                if name == "logistics", let legacy = p.team(named: "legacy-batch") { amount += team(legacy) }
                if let w = net.first(where: { $0.0 == name }) { amount += network * w.1 / netSum }
                if k8s.contains(name) { amount += kubernetes / Double(k8s.count) }
                if logging.contains(name) { amount += logs / Double(logging.count) }
                let key = "\(f.fy)/\(t)"
                if !biasKey.contains(key) { biasKey.append(key); bias.append(920 + Int(rng.next() % 200)) }
                let b = bias[biasKey.firstIndex(of: key)!]
                let budget = (amount * 1.06 * Double(b) / 1000 / 50).rounded() * 50
                out += "\(y)-\(Self.pad2(mo)),\(name),\(Self.money2(budget))\n"
            }
            let label = "FY\(f.fy)-Q\(f.q)"
            if let i = quarterTotals.firstIndex(where: { $0.0 == label }) { quarterTotals[i].1 += all } else { quarterTotals.append((label, all)) }
        }
        // Organisation-wide quarter budgets (all cost, shared and unallocated too), for quarters
        // that start inside the sample; a quarter cut off by the end is budgeted for all 3 months.
        for (label, amount) in quarterTotals {
            let inSample = (0..<months).filter { let g = Self.fiscal(p.monthYM[$0].0, p.monthYM[$0].1); return "FY\(g.fy)-Q\(g.q)" == label }
            guard let first = inSample.first else { continue }
            let f = Self.fiscal(p.monthYM[first].0, p.monthYM[first].1)
            guard p.monthYM[first].1 == (2 + (f.q - 1) * 3 - 1) % 12 + 1 else { continue }
            let full = amount / Double(inSample.count) * 3
            out += "\(label),*,\(Self.money2((full * 1.03 / 1000).rounded() * 1000))\n"
        }
        return out
    }

    func forecastsCSV(_ p: Plan, _ acc: Accumulators) -> String {
        var out = "made_on,period,team,amount,low,high\n"
        var rng = SplitMix64(state: h("forecasts"))
        let noBand: Set<String> = ["growth", "customer-support", "pricing"]
        func monthLabel(_ m: Int) -> String {
            var y = p.monthYM[0].0, mo = p.monthYM[0].1 + m
            while mo > 12 { mo -= 12; y += 1 }
            return "\(y)-\(Self.pad2(mo))"
        }
        func calMonth(_ m: Int) -> Int { (p.monthYM[0].1 - 1 + m) % 12 + 1 }
        func days(_ m: Int) -> Double {
            if m < months { return Double(p.monthStart[m + 1] - p.monthStart[m]) }
            let (y, mo) = (p.monthYM[0].0 + (p.monthYM[0].1 - 1 + m) / 12, calMonth(m))
            let (ny, nm) = mo == 12 ? (y + 1, 1) : (y, mo + 1)
            return Double(Self.daysFromCivil(ny, nm, 1) - Self.daysFromCivil(y, mo, 1))
        }
        func forecast(_ actual: [Double], _ season: Season, _ growth: Double, _ m: Int) -> [(Int, Double)] {
            // Level: the last two complete months, de-seasonalised, per day.
            let a1 = actual[m - 1], a2 = actual[m - 2]
            guard a1 > 0, a2 > 0 else { return [] }
            let level = (a1 / (days(m - 1) * p.seasonFactor(season, calMonth(m - 1))) + a2 / (days(m - 2) * p.seasonFactor(season, calMonth(m - 2)))) / 2
            var result: [(Int, Double)] = []
            var g = 1 + growth
            for k in 1...3 {
                g *= 1 + growth
                let target = m + k
                let x = level * g * p.seasonFactor(season, calMonth(target)) * days(target) * (1 + 0.05 * (rng.unit() - 0.5))
                result.append((k, x))
            }
            return result
        }
        for m in 0..<months where m >= 2 {
            let madeOn = Self.isoDay(p.firstDay + p.monthStart[m] + 4)
            for (k, x) in forecast(acc.totalMonth, .mild, 0.018, m) {
                let w = 0.04 + 0.03 * Double(k)
                out += "\(madeOn),\(monthLabel(m + k)),*,\(Self.money2((x / 100).rounded() * 100)),\(Self.money2((x * (1 - w) / 100).rounded() * 100)),\(Self.money2((x * (1 + w + 0.02) / 100).rounded() * 100))\n"
            }
            for t in 0..<p.realTeams {
                let team = p.teams[t]
                let g = team.growth + 0.01 * (rng.unit() - 0.5)
                for (k, x) in forecast(acc.teamMonth[t], team.season, g, m) {
                    let amount = (x / 10).rounded() * 10
                    if noBand.contains(team.name) {
                        out += "\(madeOn),\(monthLabel(m + k)),\(team.name),\(Self.money2(amount)),,\n"
                    } else {
                        let w = 0.05 + 0.03 * Double(k)
                        out += "\(madeOn),\(monthLabel(m + k)),\(team.name),\(Self.money2(amount)),\(Self.money2((x * (1 - w) / 10).rounded() * 10)),\(Self.money2((x * (1 + w) / 10).rounded() * 10))\n"
                    }
                }
            }
        }
        return out
    }

    func fxCSV(_ p: Plan) -> String {
        // Everything is billed in USD; these EUR rates are present but unused.
        var out = "period,currency,rate\n"
        let (y, m) = p.monthYM[0]
        out += "\(y)-\(Self.pad2(m)),EUR,1.0354\n"
        if months > 12 { let (y2, m2) = p.monthYM[12]; out += "\(y2)-\(Self.pad2(m2)),EUR,1.1612\n" }
        return out
    }

    func notesCSV(_ p: Plan) -> String {
        var out = "date,period,scope,text\n"
        func dated(_ d: Int?, _ scope: String, _ text: String) {
            guard let d else { return }
            out += ",".join([Self.isoDay(p.firstDay + d), "", scope, text].map(Self.csv)) + "\n"
        }
        func period(_ m: Int, _ scope: String, _ text: String) {
            guard m >= 0, m < months else { return }
            let (y, mo) = p.monthYM[m]
            out += ",".join(["", "\(y)-\(Self.pad2(mo))", scope, text].map(Self.csv)) + "\n"
        }
        let has = { (n: String) in p.team(named: n) != nil }
        dated(p.spStart, "service=Amazon EC2; account=\(Self.accounts[Self.prodCore].id)|\(Self.accounts[Self.prodWeb].id)",
              "Compute Savings Plan (3-year, no upfront) started: $\(Self.decimalText(p.spHourly))/hour")
        if has("data-platform") { dated(p.day(4, 6), "service=Amazon S3; resource=arn:aws:s3:::acme-dp-raw-logs", "Lifecycle rule moves raw logs to Glacier after 30 days") }
        if p.riSeries != nil { dated(p.riStart, "service=Amazon RDS; team=payments", "1-year all-upfront reserved instance for the payments wallet DB: billed cost spikes this month, effective cost is amortised") }
        if has("media") { period(7, "team=media", "S3 request storm from a misconfigured sync job (days 4-12); AWS refund requested") }
        if has("search") { dated(p.day(7, 15), "service=Amazon EC2; tag:team=search", "Search fleet migrated to Graviton (c7g)") }
        if has("ml-inference") { dated(p.day(8, 1), "team=ml-inference", "ml-inference goes live: recommendation and assistant endpoints ramp up over ~10 weeks") }
        if let m = (0..<months).first(where: { p.monthYM[$0].1 == 11 }) { period(m, "*", "Black Friday / Cyber Monday peak; checkout and payments scaled out") }
        dated(p.campaignDay == Int.max ? nil : p.campaignDay, "*", "Tagging campaign: most untagged prod resources now carry team tags")
        if has("analytics") { dated(p.day(13, 1), "service=Amazon Redshift", "Redshift warehouse decommissioned; analytics moved to S3 and a query engine on EC2") }
        if has("observability") { dated(p.day(14, 10), "service=Amazon CloudWatch; tag:product=central-logging", "Central logs moved to CloudWatch Logs Infrequent Access") }
        if has("data-platform") { period(15, "team=data-platform", "A forgotten load-test cluster ran from the 6th to the 20th") }
        if has("notifications") { period(11, "team=notifications", "Lambda memory right-sizing shipped, but the new push campaign's traffic ate the savings") }
        return out
    }

    func configYAML(_ p: Plan) -> String {
        let has = { (n: String) in p.team(named: n) != nil }
        let acct = { (i: Int) in "\"\(Self.accounts[i].id)\"" }
        var y = """
        # CostDefender configuration for the generated Acme Retail Group sample (seed \(seed)).
        currency: USD
        cost_basis: effective            # effective (amortised) | billed
        fiscal_year_start_month: 2       # FY2026 = Feb 2025 - Jan 2026
        inputs:
          focus: focus/
          ledger: ledger.csv
          metrics: metrics.csv
          budgets: budgets.csv
          forecasts: forecasts.csv
          fx: fx.csv
          notes: notes.csv
        output: ../Output
        # templates: my-templates/       # optional: files there override the built-in templates
        allocation:
          team_tags: [team, Team, owner]
          product_tags: [product, application]

        """
        if has("payments") { y += "  team_aliases: { Payments: payments, payments-team: payments }\n" } else { y += "  team_aliases: {}\n" }
        y += has("logistics") ? "  accounts: { \(acct(Self.legacyAcct)): logistics }\n" : "  accounts: {}\n"
        y += "  rules:\n"
        y += "    - when: { provider: AWS, service: \"AWS Support (Business)\" }\n      pool: support\n"
        y += "    - when: { charge_category: Tax }\n      pool: tax\n"
        if has("platform") { y += "    - when: { service: Savings Plans for AWS Compute usage }\n      team: platform\n" }
        if has("payments") { y += "    - when: { charge_category: Purchase, service: Amazon RDS }\n      team: payments\n" }
        let netRecipients = Self.networkWeights.map(\.0).filter(has)
        if !netRecipients.isEmpty {
            y += "    - when: { billing_account: \"\(Self.billingAccount.id)\", account: \(acct(Self.networkAcct)) }\n      pool: networking\n"
        }
        let k8s = Self.kubernetesRecipients.filter(has)
        if !k8s.isEmpty { y += "    - when: { tag: product=shared-eks }\n      pool: kubernetes\n" }
        let logging = Self.loggingRecipients.filter(has)
        if !logging.isEmpty { y += "    - when: { service: Amazon CloudWatch, tag: product=central-logging }\n      pool: logging\n" }
        if has("devex") { y += "    - when: { tag: product=ci-runners }\n      team: devex\n" }
        if has("analytics") { y += "    - when: { account: \(acct(Self.dataAcct)), region: eu-west-1, service_category: Analytics|Storage|Compute }\n      team: analytics\n" }
        y += "  pools:\n"
        y += "    - name: support\n      split: proportional\n      basis: direct_cost\n"
        y += "    - name: tax\n      split: proportional\n      basis: direct_cost\n"
        if !netRecipients.isEmpty {
            let base = Self.networkWeights.filter { has($0.0) }
            let sum = base.reduce(0) { $0 + $1.1 }
            var weights = base.map { ($0.0, (($0.1 / sum) * 100).rounded() / 100) }
            let fix = 1 - weights.reduce(0) { $0 + $1.1 }
            weights[0].1 = ((weights[0].1 + fix) * 100).rounded() / 100
            y += "    - name: networking\n      split: fixed\n      recipients: [\(netRecipients.joined(separator: ", "))]\n"
            y += "      weights: { " + weights.map { "\($0.0): \(Self.weightText($0.1))" }.joined(separator: ", ") + " }\n"
        }
        if !k8s.isEmpty { y += "    - name: kubernetes\n      split: even\n      recipients: [\(k8s.joined(separator: ", "))]\n" }
        if !logging.isEmpty { y += "    - name: logging\n      split: proportional\n      basis: metric:api_requests\n      recipients: [\(logging.joined(separator: ", "))]\n" }
        y += "mandatory_tags: [team, product, environment, cost-center]\n"
        y += "teams:\n"
        for t in 0..<p.realTeams {
            let team = p.teams[t]
            let owner = team.owner.isEmpty ? "Owner \(t + 1)" : team.owner
            y += "  \(team.name): { owner: \"\(owner)\", contact: \(Self.contact(owner)) }\n"
        }
        y += "thresholds:\n  budget_tolerance: 0.05\n  max_rejected_rows: 0\n"
        return y
    }

    static func weightText(_ w: Double) -> String {
        let c = Int((w * 100).rounded())
        return c % 10 == 0 ? "0.\(c / 10)" : (c < 10 ? "0.0\(c)" : "0.\(c)")
    }
}

private extension String {
    func join(_ parts: [String]) -> String { parts.joined(separator: self) }
}
