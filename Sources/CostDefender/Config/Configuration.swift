/// Everything a build is told, as one value. Decoded from YAML (`ConfigurationLoader`); every
/// field has a default (`Configuration+Default.swift`) so that no config file is needed at all.
/// Paths are absolute once loaded (resolved against the config file's folder).
public struct Configuration: Sendable, Equatable {
    public var currency = "USD"
    public var costBasis = CostBasis.effective
    /// 1–12: the calendar month the fiscal year starts in.
    public var fiscalYearStartMonth = 1
    public var inputs = Inputs()
    public var output: String = "Output"
    /// A folder whose templates override the built-in ones, file by file.
    public var templates: String?
    public var allocation = Allocation()
    public var mandatoryTags: [String] = ["team", "product", "environment", "cost-center"]
    public var teams: [String: TeamContact] = [:]
    public var thresholds = Thresholds()
    /// Team → the unit metric (metrics.csv) that drives its volume. A team with exactly one
    /// metric of its own uses it without being listed here.
    public var volumeDrivers: [String: String] = [:]
    /// Band edges of the maturity scorecard.
    public var maturity = MaturityScorecard.Thresholds()
    /// Windows and threshold of savings verification.
    public var savings = SavingsVerification.Settings()
    /// CostDefender's own forecasts, appended by every build (default: `<output>.history/forecasts.csv`).
    public var forecastHistory: String?

    /// Where the per-file cube cache lives: beside the output folder.
    public var cacheFolder: String { output + ".cache" }

    /// Where the forecast archive lives: configured, or beside the output folder.
    public var forecastHistoryPath: String { forecastHistory ?? (output + ".history/forecasts.csv") }

    public init() {}

    public struct Inputs: Sendable, Equatable {
        public var focus: [String] = []
        public var ledger: String?
        public var metrics: String?
        public var budgets: String?
        public var forecasts: String?
        public var fx: String?
        public var notes: String?
        public init() {}
    }

    public struct Allocation: Sendable, Equatable {
        public var teamTags: [String] = ["team", "owner", "team_name", "business_unit", "department", "cost-center", "project"]
        public var productTags: [String] = ["product", "application", "app", "service"]
        /// Tag value → team name.
        public var teamAliases: [String: String] = [:]
        /// SubAccountId → team name.
        public var accounts: [String: String] = [:]
        public var rules: [AllocationRule] = []
        public var pools: [SharedPool] = []
        public init() {}
    }

    public struct TeamContact: Sendable, Equatable, Codable {
        public var owner: String?
        public var contact: String?
        public init(owner: String? = nil, contact: String? = nil) { self.owner = owner; self.contact = contact }
    }

    public struct Thresholds: Sendable, Equatable {
        /// ± share of budget that still counts as on track.
        public var budgetTolerance = 0.05
        /// FOCUS rows that may be rejected before the build stops.
        public var maxRejectedRows = 0
        public init() {}
    }
}

/// Sends matching cost to a team or to a shared pool. All conditions given must hold.
public struct AllocationRule: Sendable, Equatable {
    public var conditions: [RuleCondition]
    public var target: Target
    public enum Target: Sendable, Equatable { case team(String), pool(String) }
    public init(conditions: [RuleCondition], target: Target) { self.conditions = conditions; self.target = target }
}

/// One `key=value` test on a cube cell (see `ScopeMatcher`).
public struct RuleCondition: Sendable, Hashable {
    public enum Field: Sendable, Hashable {
        case provider, billingAccount, account, service, serviceCategory, region, chargeCategory, resource
        case tag(String)
    }
    public var field: Field
    /// Alternatives: the condition holds when the value equals any of them.
    public var values: [String]
    public init(field: Field, values: [String]) { self.field = field; self.values = values }
}

/// A shared-cost pool and how it is split over its recipients.
public struct SharedPool: Sendable, Equatable {
    public enum Split: Sendable, Equatable {
        case even
        case fixed([String: Double])
        case proportionalToDirectCost
        case proportionalToMetric(String)
    }
    public var name: String
    public var split: Split
    /// Empty: every team with direct cost in the month.
    public var recipients: [String]
    public init(name: String, split: Split, recipients: [String] = []) {
        self.name = name; self.split = split; self.recipients = recipients
    }
}
