/// The non-FOCUS inputs, as loaded values. See docs/inputs.md for the file formats.
public struct BusinessInputs: Sendable {
    public var ledger: [LedgerEntry] = []
    public var metrics: [MetricValue] = []
    public var budgets: [Budget] = []
    public var forecasts: [SubmittedForecast] = []
    public var fxRates: [FXRate] = []
    public var notes: [Note] = []
    public init() {}
}

public struct LedgerEntry: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case identified, committed, implemented, rejected }
    public var id: String
    public var title: String
    public var team: String
    public var owner: String?
    public var status: Status
    public var identifiedOn: Day
    public var committedMonthly: Amount
    public var implementedOn: Day?
    public var scope: [RuleCondition]
    public var scopeText: String
    public var driver: String?
    public var line: Int
}

/// A unit-metric value for a month (`YYYY-MM-DD` periods are summed into their month).
public struct MetricValue: Sendable, Equatable {
    public var month: Month
    public var metric: String
    public var value: Amount
    public var team: String?
    public var product: String?
}

public struct Budget: Sendable, Equatable {
    public enum Period: Sendable, Hashable { case month(Month), quarter(FiscalQuarter) }
    public var period: Period
    /// nil for the whole organisation (`*`).
    public var team: String?
    public var amount: Amount
}

public struct SubmittedForecast: Sendable, Equatable {
    public var madeOn: Day
    public var month: Month
    public var team: String?
    public var amount: Amount
    public var low: Amount?
    public var high: Amount?
}

public struct FXRate: Sendable, Equatable {
    public var month: Month
    public var currency: String
    /// Units of reporting currency per unit of `currency`.
    public var rate: Amount
}

public struct Note: Sendable, Equatable {
    /// The days the note covers (one day, or a whole month).
    public var days: ClosedRange<Day>
    public var conditions: [RuleCondition]
    public var teams: [String]
    public var scopeText: String
    public var text: String
}
